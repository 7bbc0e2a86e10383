package io.ployer.engine.compose;

import io.ployer.engine.compose.ComposeFile.Healthcheck;
import io.ployer.engine.compose.ComposeFile.Limits;
import io.ployer.engine.compose.ComposeFile.Mount;
import io.ployer.engine.compose.ComposeFile.NamedVolume;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The values of a Compose service {@link ComposeParser} reads: ports and {@code expose}, volume mounts (short
 * and long syntax), the health check with its durations, command lines split as a shell splits words, the
 * restart policy and {@code deploy.resources} with their byte sizes.
 */
abstract class ComposeValues extends ComposeNodes {
    static final Set<String> HEALTHCHECK = Set.of("test", "interval", "timeout", "retries", "start_period", "disable");
    static final Set<String> LONG_VOLUME = Set.of("type", "source", "target", "read_only");
    static final Pattern DURATION_PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|ms|s|m|h)");
    static final Pattern BYTES = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([kmgt]?)(b?)", Pattern.CASE_INSENSITIVE);

    ComposeValues(String fileName, Map<String, String> variables) {
        super(fileName, variables);
    }

    List<String> ports(Entry entry, String path) {
        List<String> ports = new ArrayList<>();
        int index = 0;
        for (Node item : sequence(entry.value(), path)) {
            String itemPath = path + "[" + index++ + "]";
            if (item instanceof MappingNode) {
                StringBuilder written = new StringBuilder();
                for (Entry key : mapping(item, itemPath).values()) {
                    written.append(written.length() == 0 ? "" : ",").append(key.key()).append('=')
                            .append(isNull(key.value()) ? "" : scalarValue(key.value(), itemPath + "." + key.key()));
                }
                ports.add(written.toString());
            } else {
                ports.add(scalarValue(item, itemPath));
            }
        }
        return ports;
    }

    List<Integer> expose(Entry entry, String path) {
        List<Integer> ports = new ArrayList<>();
        int index = 0;
        for (Node item : sequence(entry.value(), path)) {
            String itemPath = path + "[" + index++ + "]";
            String text = scalarValue(item, itemPath);
            String number = text.endsWith("/tcp") ? text.substring(0, text.length() - 4) : text;
            ports.add(port(number, item, itemPath));
        }
        return ports;
    }

    int port(String text, Node node, String path) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(line(node), path + " must be a TCP port from 1 to 65535, not '" + text + "'.");
    }

    List<Mount> mounts(Entry entry, String path, Map<String, NamedVolume> volumes) {
        List<Mount> mounts = new ArrayList<>();
        Set<String> targets = new HashSet<>();
        int index = 0;
        for (Node item : sequence(entry.value(), path)) {
            String itemPath = path + "[" + index++ + "]";
            Mount mount = item instanceof MappingNode ? longMount(item, itemPath) : shortMount(scalarValue(item, itemPath), item, itemPath);
            if (mount.kind() == Mount.Kind.VOLUME && !volumes.containsKey(mount.source())) {
                throw error(line(item), itemPath + " names the volume " + mount.source()
                        + ", which the top-level volumes do not declare.");
            }
            if (!mount.target().startsWith("/")) {
                throw error(line(item), itemPath + ": the container path must be absolute, not '" + mount.target() + "'.");
            }
            if (!targets.add(mount.target())) {
                throw error(line(item), itemPath + " mounts " + mount.target() + " a second time.");
            }
            mounts.add(mount);
        }
        return mounts;
    }

    Mount shortMount(String text, Node node, String path) {
        String[] parts = text.split(":", -1);
        if (parts.length == 1) {
            return new Mount(Mount.Kind.ANONYMOUS, null, parts[0], false);
        }
        if (parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw error(line(node), path + " must be SOURCE:TARGET[:ro|rw] or a container path, not '" + text + "'.");
        }
        boolean readOnly = false;
        if (parts.length == 3) {
            Set<String> modes = new HashSet<>(List.of(parts[2].split(",", -1)));
            for (String mode : modes) {
                if (!mode.equals("ro") && !mode.equals("rw")) {
                    throw error(line(node), path + ": the mode '" + mode + "' is not supported (ro or rw).");
                }
            }
            readOnly = modes.contains("ro");
        }
        String source = parts[0];
        boolean bind = source.startsWith(".") || source.startsWith("/") || source.startsWith("~");
        return new Mount(bind ? Mount.Kind.BIND : Mount.Kind.VOLUME, source, parts[1], readOnly);
    }

    Mount longMount(Node node, String path) {
        Map<String, Entry> keys = mapping(node, path);
        for (Entry key : keys.values()) {
            if (!LONG_VOLUME.contains(key.key()) && !extension(key.key())) {
                throw unsupported(key, path + "." + key.key(), LONG_VOLUME);
            }
        }
        String type = keys.containsKey("type") ? scalar(keys.get("type"), path + ".type") : "volume";
        if (!keys.containsKey("target")) {
            throw error(line(node), path + " needs a target (the container path).");
        }
        String target = scalar(keys.get("target"), path + ".target");
        String source = keys.containsKey("source") ? scalar(keys.get("source"), path + ".source") : null;
        boolean readOnly = keys.containsKey("read_only") && bool(keys.get("read_only"), path + ".read_only");
        return switch (type) {
            case "volume" -> new Mount(source == null ? Mount.Kind.ANONYMOUS : Mount.Kind.VOLUME, source, target, readOnly);
            case "bind" -> {
                if (source == null) {
                    throw error(line(node), path + ": a bind mount needs a source path.");
                }
                yield new Mount(Mount.Kind.BIND, source, target, readOnly);
            }
            default -> throw error(keys.get("type").valueLine(), path + ".type '" + type
                    + "' is not supported (volume or bind).");
        };
    }

    Healthcheck healthcheck(Entry entry, String path) {
        Map<String, Entry> keys = mapping(entry.value(), path);
        for (Entry key : keys.values()) {
            if (!HEALTHCHECK.contains(key.key()) && !extension(key.key())) {
                throw unsupported(key, path + "." + key.key(), HEALTHCHECK);
            }
        }
        boolean disabled = keys.containsKey("disable") && bool(keys.get("disable"), path + ".disable");
        List<String> test = null;
        if (keys.containsKey("test")) {
            Entry testEntry = keys.get("test");
            if (testEntry.value() instanceof ScalarNode) {
                test = List.of("CMD-SHELL", scalar(testEntry, path + ".test"));
            } else {
                List<String> items = new ArrayList<>();
                int index = 0;
                for (Node item : sequence(testEntry.value(), path + ".test")) {
                    items.add(scalarValue(item, path + ".test[" + index++ + "]"));
                }
                if (items.isEmpty() || !Set.of("CMD", "CMD-SHELL", "NONE").contains(items.get(0))) {
                    throw error(testEntry.valueLine(), path + ".test must start with CMD, CMD-SHELL or NONE.");
                }
                test = List.copyOf(items);
            }
        }
        if (test == null && !disabled) {
            throw error(entry.line(), path + " needs a test (or disable: true).");
        }
        Integer retries = null;
        if (keys.containsKey("retries")) {
            String text = scalar(keys.get("retries"), path + ".retries");
            try {
                retries = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                retries = -1;
            }
            if (retries < 0 || retries > 1000) {
                throw error(keys.get("retries").valueLine(), path + ".retries must be a whole number from 0 to 1000.");
            }
        }
        return new Healthcheck(test, duration(keys.get("interval"), path + ".interval"), duration(keys.get("timeout"), path + ".timeout"),
                retries, duration(keys.get("start_period"), path + ".start_period"), disabled);
    }

    /** A Compose duration: {@code 1m30s}, {@code 10s}, {@code 500ms}. */
    Duration duration(Entry entry, String path) {
        if (entry == null) {
            return null;
        }
        String text = scalar(entry, path);
        Matcher part = DURATION_PART.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (part.find() && part.start() == end) {
            double amount = Double.parseDouble(part.group(1));
            long nanos = switch (part.group(2)) {
                case "ns" -> 1L;
                case "us" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            total = total.plusNanos((long) (amount * nanos));
            end = part.end();
        }
        if (end == 0 || end != text.length()) {
            throw error(entry.valueLine(), path + " must be a duration such as 30s, 1m30s or 500ms, not '" + text + "'.");
        }
        return total;
    }

    List<String> commandLine(Entry entry, String path) {
        if (entry.value() instanceof ScalarNode) {
            return split(scalar(entry, path), entry, path);
        }
        List<String> items = new ArrayList<>();
        int index = 0;
        for (Node item : sequence(entry.value(), path)) {
            items.add(scalarValue(item, path + "[" + index++ + "]"));
        }
        return List.copyOf(items);
    }

    /** Splits a command string like a POSIX shell's words (quotes and backslashes; no expansion), as Compose does. */
    List<String> split(String text, Entry entry, String path) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < text.length()) {
                    word.append(text.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < text.length()) {
                word.append(text.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw error(entry.valueLine(), path + " has an unclosed " + quote + " quote.");
        }
        if (inWord) {
            words.add(word.toString());
        }
        return List.copyOf(words);
    }

    String restart(Entry entry, String path) {
        String value = scalar(entry, path);
        if (value.equals("false")) {
            value = "no"; // YAML 1.1 reads an unquoted no as false
        }
        if (value.equals("no") || value.equals("always") || value.equals("unless-stopped") || value.matches("on-failure(:[0-9]{1,4})?")) {
            return value;
        }
        throw error(entry.valueLine(), path + " '" + value + "' is not one of no, always, on-failure[:N], unless-stopped.");
    }

    Limits deploy(Entry entry, String path) {
        Map<String, Entry> keys = mapping(entry.value(), path);
        for (Entry key : keys.values()) {
            if (!key.key().equals("resources") && !extension(key.key())) {
                throw unsupported(key, path + "." + key.key(), Set.of("resources"));
            }
        }
        if (!keys.containsKey("resources")) {
            return null;
        }
        Map<String, Entry> resources = mapping(keys.get("resources").value(), path + ".resources");
        for (Entry key : resources.values()) {
            if (!key.key().equals("limits") && !extension(key.key())) {
                throw unsupported(key, path + ".resources." + key.key(), Set.of("limits"));
            }
        }
        if (!resources.containsKey("limits")) {
            return null;
        }
        String limitsPath = path + ".resources.limits";
        Map<String, Entry> limits = mapping(resources.get("limits").value(), limitsPath);
        Double cpus = null;
        Long memory = null;
        Long pids = null;
        for (Entry key : limits.values()) {
            String text = scalar(key, limitsPath + "." + key.key());
            switch (key.key()) {
                case "cpus" -> {
                    try {
                        cpus = Double.parseDouble(text);
                    } catch (NumberFormatException e) {
                        cpus = -1.0;
                    }
                    if (!(cpus > 0 && cpus <= 1024)) {
                        throw error(key.valueLine(), limitsPath + ".cpus must be a number of CPUs such as 0.5, not '" + text + "'.");
                    }
                }
                case "memory" -> memory = bytes(text, key, limitsPath + ".memory");
                case "pids" -> {
                    try {
                        pids = Long.parseLong(text);
                    } catch (NumberFormatException e) {
                        pids = -1L;
                    }
                    if (pids < 1) {
                        throw error(key.valueLine(), limitsPath + ".pids must be a whole number above 0, not '" + text + "'.");
                    }
                }
                default -> throw unsupported(key, limitsPath + "." + key.key(), Set.of("cpus", "memory", "pids"));
            }
        }
        return new Limits(cpus, memory, pids);
    }

    /** {@code 512m}, {@code 1g}, {@code 1.5G}, {@code 1024} (bytes), as Compose reads them. */
    long bytes(String text, Entry entry, String path) {
        Matcher matcher = BYTES.matcher(text.strip());
        if (matcher.matches()) {
            double amount = Double.parseDouble(matcher.group(1));
            long unit = switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
                case "k" -> 1L << 10;
                case "m" -> 1L << 20;
                case "g" -> 1L << 30;
                case "t" -> 1L << 40;
                default -> 1L;
            };
            double value = amount * unit;
            if (value >= 1 && value < Long.MAX_VALUE) {
                return (long) value;
            }
        }
        throw error(entry.valueLine(), path + " must be a size such as 512m or 1g, not '" + text + "'.");
    }
}
