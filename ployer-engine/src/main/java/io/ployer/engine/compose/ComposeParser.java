package io.ployer.engine.compose;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.engine.compose.ComposeFile.Build;
import io.ployer.engine.compose.ComposeFile.Condition;
import io.ployer.engine.compose.ComposeFile.Healthcheck;
import io.ployer.engine.compose.ComposeFile.Limits;
import io.ployer.engine.compose.ComposeFile.Mount;
import io.ployer.engine.compose.ComposeFile.NamedVolume;
import io.ployer.engine.compose.ComposeFile.Network;
import io.ployer.engine.compose.ComposeFile.Service;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a Compose file into a {@link ComposeFile}: the subset people use (see the README's Stacks
 * section). Every key outside it is an error naming the key's path and line, never silently ignored;
 * {@code x-} extension keys are allowed everywhere, as Compose allows them. Published {@code ports}
 * are accepted with a warning (the proxy routes instead). Variables ({@code ${VAR}}, {@code ${VAR:-default}},
 * see {@link Interpolation}) are replaced in every value (never in keys) when variables are given, and kept as
 * written otherwise. The YAML is read by SnakeYAML's safe loader (no tags, at most 50 aliases, 1 MiB).
 */
public final class ComposeParser {
    /** The request field errors are attributed to. */
    public static final String FIELD = "compose_file";
    static final int MAX_CHARACTERS = 1 << 20;
    private static final Set<String> TOP_LEVEL = Set.of("services", "volumes", "networks", "version", "name");
    private static final Set<String> SERVICE = Set.of("build", "image", "environment", "env_file", "ports", "expose", "volumes",
            "depends_on", "healthcheck", "command", "entrypoint", "restart", "deploy", "networks", "labels");
    private static final Set<String> BUILD = Set.of("context", "dockerfile", "args");
    private static final Set<String> HEALTHCHECK = Set.of("test", "interval", "timeout", "retries", "start_period", "disable");
    private static final Set<String> LONG_VOLUME = Set.of("type", "source", "target", "read_only");
    private static final Set<String> TOP_VOLUME = Set.of("external", "labels", "name");
    private static final Set<String> TOP_NETWORK = Set.of("external", "labels", "name", "driver");
    private static final Set<Tag> PLAIN_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.TIMESTAMP);
    private static final Pattern SERVICE_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}");
    private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
    private static final Pattern DURATION_PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|ms|s|m|h)");
    private static final Pattern BYTES = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([kmgt]?)(b?)", Pattern.CASE_INSENSITIVE);

    private final String fileName;
    private final Map<String, String> variables;
    private final List<String> warnings = new ArrayList<>();

    private ComposeParser(String fileName, Map<String, String> variables) {
        this.fileName = fileName;
        this.variables = variables;
    }

    /**
     * Parses {@code text}, naming {@code fileName} in messages. Fails INVALID_ARGUMENT (field
     * {@value #FIELD}) with a sentence naming the file, the line and the key.
     */
    public static ComposeFile parse(String text, String fileName) {
        return new ComposeParser(fileName, null).read(text);
    }

    /**
     * Parses {@code text} with {@code ${VAR}} references in values replaced from {@code variables} (an
     * application's env values); an unset variable is empty with a warning, a {@code ${VAR:?}} one an error
     * naming the line.
     */
    public static ComposeFile parse(String text, String fileName, Map<String, String> variables) {
        return new ComposeParser(fileName, Map.copyOf(variables)).read(text);
    }

    private ComposeFile read(String text) {
        if (text == null || text.isBlank()) {
            throw new PloyerException(StandardErrorCode.INVALID_ARGUMENT, FIELD, fileName + " is empty.", null);
        }
        if (text.length() > MAX_CHARACTERS) {
            throw new PloyerException(StandardErrorCode.INVALID_ARGUMENT, FIELD, fileName + " is larger than 1 MiB.", null);
        }
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50);
        options.setAllowRecursiveKeys(false);
        options.setCodePointLimit(MAX_CHARACTERS);
        Node root;
        try {
            root = new Yaml(new SafeConstructor(options)).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new PloyerException(StandardErrorCode.INVALID_ARGUMENT, FIELD, fileName + (mark == null ? "" : " line " + (mark.getLine() + 1))
                    + ": this is not valid YAML (" + e.getProblem() + ").", null);
        } catch (YAMLException e) {
            throw new PloyerException(StandardErrorCode.INVALID_ARGUMENT, FIELD, fileName + ": this is not valid YAML ("
                    + e.getMessage() + ").", null);
        }
        if (root == null) {
            throw new PloyerException(StandardErrorCode.INVALID_ARGUMENT, FIELD, fileName + " is empty.", null);
        }
        Map<String, Entry> top = mapping(root, "the file");
        for (Entry entry : top.values()) {
            if (!TOP_LEVEL.contains(entry.key) && !extension(entry.key)) {
                throw unsupported(entry, entry.key, TOP_LEVEL);
            }
        }
        if (top.containsKey("version")) {
            warnings.add(fileName + " line " + top.get("version").line() + ": version is obsolete and ignored.");
        }
        Map<String, NamedVolume> volumes = new LinkedHashMap<>();
        if (top.containsKey("volumes") && !isNull(top.get("volumes").value)) {
            for (Entry entry : mapping(top.get("volumes").value, "volumes").values()) {
                volumes.put(entry.key, topVolume(entry));
            }
        }
        Map<String, Network> networks = new LinkedHashMap<>();
        if (top.containsKey("networks") && !isNull(top.get("networks").value)) {
            for (Entry entry : mapping(top.get("networks").value, "networks").values()) {
                networks.put(entry.key, topNetwork(entry));
            }
        }
        Entry servicesEntry = top.get("services");
        if (servicesEntry == null || isNull(servicesEntry.value)) {
            throw new PloyerException(StandardErrorCode.INVALID_ARGUMENT, FIELD, fileName + " declares no services.", null);
        }
        Map<String, Service> services = new LinkedHashMap<>();
        Map<String, Entry> serviceEntries = mapping(servicesEntry.value, "services");
        if (serviceEntries.isEmpty()) {
            throw new PloyerException(StandardErrorCode.INVALID_ARGUMENT, FIELD, fileName + " declares no services.", null);
        }
        for (Entry entry : serviceEntries.values()) {
            if (extension(entry.key)) {
                continue;
            }
            services.put(entry.key, service(entry, volumes, networks));
        }
        for (Entry entry : serviceEntries.values()) {
            Service service = services.get(entry.key);
            if (service == null) {
                continue;
            }
            for (String dependency : service.dependsOn().keySet()) {
                if (!services.containsKey(dependency)) {
                    Entry dependsOn = mapping(entry.value, "services." + entry.key).get("depends_on");
                    throw error(dependsOn.valueLine(), "services." + entry.key + ".depends_on names " + dependency
                            + ", which is not a service of this file.");
                }
            }
        }
        checkCycles(services, serviceEntries);
        return new ComposeFile(services, volumes, networks, warnings);
    }

    private Service service(Entry entry, Map<String, NamedVolume> volumes, Map<String, Network> networks) {
        String path = "services." + entry.key;
        if (!SERVICE_NAME.matcher(entry.key).matches()) {
            throw error(entry.line(), path + ": a service name is letters, digits, '_', '.' and '-', starting with a letter or digit.");
        }
        Map<String, Entry> keys = mapping(entry.value, path);
        for (Entry key : keys.values()) {
            if (!SERVICE.contains(key.key) && !extension(key.key)) {
                throw unsupported(key, path + "." + key.key, SERVICE);
            }
        }
        Build build = keys.containsKey("build") ? build(keys.get("build"), path + ".build") : null;
        String image = keys.containsKey("image") ? scalar(keys.get("image"), path + ".image") : null;
        if (build == null && image == null) {
            throw error(entry.line(), path + " needs an image or a build.");
        }
        Map<String, String> environment = keys.containsKey("environment")
                ? keyValues(keys.get("environment"), path + ".environment", true) : Map.of();
        List<String> envFiles = keys.containsKey("env_file") ? envFiles(keys.get("env_file"), path + ".env_file") : List.of();
        List<String> ports = List.of();
        if (keys.containsKey("ports")) {
            ports = ports(keys.get("ports"), path + ".ports");
            if (!ports.isEmpty()) {
                warnings.add(fileName + " line " + keys.get("ports").line() + ": " + path + ".ports are ignored; Ployer publishes no"
                        + " ports and routes domains to a service's port through its proxy.");
            }
        }
        List<Integer> expose = keys.containsKey("expose") ? expose(keys.get("expose"), path + ".expose") : List.of();
        List<Mount> mounts = keys.containsKey("volumes") ? mounts(keys.get("volumes"), path + ".volumes", volumes) : List.of();
        Map<String, Condition> dependsOn = keys.containsKey("depends_on") ? dependsOn(keys.get("depends_on"), path + ".depends_on")
                : Map.of();
        Healthcheck healthcheck = keys.containsKey("healthcheck") ? healthcheck(keys.get("healthcheck"), path + ".healthcheck") : null;
        List<String> command = keys.containsKey("command") ? commandLine(keys.get("command"), path + ".command") : null;
        List<String> entrypoint = keys.containsKey("entrypoint") ? commandLine(keys.get("entrypoint"), path + ".entrypoint") : null;
        String restart = keys.containsKey("restart") ? restart(keys.get("restart"), path + ".restart") : null;
        Limits limits = keys.containsKey("deploy") ? deploy(keys.get("deploy"), path + ".deploy") : null;
        List<String> serviceNetworks = keys.containsKey("networks") ? serviceNetworks(keys.get("networks"), path + ".networks", networks)
                : List.of();
        Map<String, String> labels = keys.containsKey("labels") ? keyValues(keys.get("labels"), path + ".labels", false) : Map.of();
        return new Service(entry.key, build, image, environment, envFiles, ports, expose, mounts, dependsOn, healthcheck, command,
                entrypoint, restart, limits, serviceNetworks, labels);
    }

    private Build build(Entry entry, String path) {
        if (entry.value instanceof ScalarNode) {
            return new Build(scalar(entry, path), "Dockerfile", Map.of());
        }
        Map<String, Entry> keys = mapping(entry.value, path);
        for (Entry key : keys.values()) {
            if (!BUILD.contains(key.key) && !extension(key.key)) {
                throw unsupported(key, path + "." + key.key, BUILD);
            }
        }
        String context = keys.containsKey("context") ? scalar(keys.get("context"), path + ".context") : ".";
        String dockerfile = keys.containsKey("dockerfile") ? scalar(keys.get("dockerfile"), path + ".dockerfile") : "Dockerfile";
        Map<String, String> args = keys.containsKey("args") ? keyValues(keys.get("args"), path + ".args", true) : Map.of();
        return new Build(context, dockerfile, args);
    }

    /** A mapping of scalars or a list of {@code KEY=VALUE} (a bare {@code KEY}: null when {@code bareKeys}). */
    private Map<String, String> keyValues(Entry entry, String path, boolean bareKeys) {
        Map<String, String> result = new LinkedHashMap<>();
        if (isNull(entry.value)) {
            return result;
        }
        if (entry.value instanceof SequenceNode sequence) {
            int index = 0;
            for (Node item : sequence.getValue()) {
                String itemPath = path + "[" + index++ + "]";
                String text = scalarValue(item, itemPath);
                int equals = text.indexOf('=');
                String key = equals < 0 ? text : text.substring(0, equals);
                if (equals < 0 && !bareKeys) {
                    throw error(line(item), itemPath + " must be KEY=VALUE.");
                }
                checkKey(key, item, itemPath);
                if (result.containsKey(key)) {
                    throw error(line(item), itemPath + " sets " + key + " a second time.");
                }
                result.put(key, equals < 0 ? null : text.substring(equals + 1));
            }
            return result;
        }
        for (Entry item : mapping(entry.value, path).values()) {
            checkKey(item.key, item.keyNode, path + "." + item.key);
            result.put(item.key, isNull(item.value) ? (bareKeys ? null : "") : scalarValue(item.value, path + "." + item.key));
        }
        return result;
    }

    private void checkKey(String key, Node node, String path) {
        if (key.isEmpty() || !ENV_KEY.matcher(key).matches()) {
            throw error(line(node), path + ": '" + key + "' is not a valid name (letters, digits, '_', '.' and '-').");
        }
    }

    private List<String> envFiles(Entry entry, String path) {
        if (entry.value instanceof ScalarNode) {
            return List.of(scalar(entry, path));
        }
        List<String> files = new ArrayList<>();
        int index = 0;
        for (Node item : sequence(entry.value, path)) {
            files.add(scalarValue(item, path + "[" + index++ + "]"));
        }
        return files;
    }

    private List<String> ports(Entry entry, String path) {
        List<String> ports = new ArrayList<>();
        int index = 0;
        for (Node item : sequence(entry.value, path)) {
            String itemPath = path + "[" + index++ + "]";
            if (item instanceof MappingNode) {
                StringBuilder written = new StringBuilder();
                for (Entry key : mapping(item, itemPath).values()) {
                    written.append(written.length() == 0 ? "" : ",").append(key.key).append('=')
                            .append(isNull(key.value) ? "" : scalarValue(key.value, itemPath + "." + key.key));
                }
                ports.add(written.toString());
            } else {
                ports.add(scalarValue(item, itemPath));
            }
        }
        return ports;
    }

    private List<Integer> expose(Entry entry, String path) {
        List<Integer> ports = new ArrayList<>();
        int index = 0;
        for (Node item : sequence(entry.value, path)) {
            String itemPath = path + "[" + index++ + "]";
            String text = scalarValue(item, itemPath);
            String number = text.endsWith("/tcp") ? text.substring(0, text.length() - 4) : text;
            ports.add(port(number, item, itemPath));
        }
        return ports;
    }

    private int port(String text, Node node, String path) {
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

    private List<Mount> mounts(Entry entry, String path, Map<String, NamedVolume> volumes) {
        List<Mount> mounts = new ArrayList<>();
        Set<String> targets = new HashSet<>();
        int index = 0;
        for (Node item : sequence(entry.value, path)) {
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

    private Mount shortMount(String text, Node node, String path) {
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

    private Mount longMount(Node node, String path) {
        Map<String, Entry> keys = mapping(node, path);
        for (Entry key : keys.values()) {
            if (!LONG_VOLUME.contains(key.key) && !extension(key.key)) {
                throw unsupported(key, path + "." + key.key, LONG_VOLUME);
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

    private Map<String, Condition> dependsOn(Entry entry, String path) {
        Map<String, Condition> result = new LinkedHashMap<>();
        if (entry.value instanceof SequenceNode) {
            int index = 0;
            for (Node item : sequence(entry.value, path)) {
                result.put(scalarValue(item, path + "[" + index++ + "]"), Condition.SERVICE_STARTED);
            }
            return result;
        }
        for (Entry dependency : mapping(entry.value, path).values()) {
            String dependencyPath = path + "." + dependency.key;
            Condition condition = Condition.SERVICE_STARTED;
            if (!isNull(dependency.value)) {
                for (Entry key : mapping(dependency.value, dependencyPath).values()) {
                    if (!key.key.equals("condition")) {
                        throw unsupported(key, dependencyPath + "." + key.key, Set.of("condition"));
                    }
                    String value = scalar(key, dependencyPath + ".condition");
                    condition = switch (value) {
                        case "service_started" -> Condition.SERVICE_STARTED;
                        case "service_healthy" -> Condition.SERVICE_HEALTHY;
                        case "service_completed_successfully" -> Condition.SERVICE_COMPLETED_SUCCESSFULLY;
                        default -> throw error(key.valueLine(), dependencyPath + ".condition '" + value
                                + "' is not one of service_started, service_healthy, service_completed_successfully.");
                    };
                }
            }
            result.put(dependency.key, condition);
        }
        return result;
    }

    private Healthcheck healthcheck(Entry entry, String path) {
        Map<String, Entry> keys = mapping(entry.value, path);
        for (Entry key : keys.values()) {
            if (!HEALTHCHECK.contains(key.key) && !extension(key.key)) {
                throw unsupported(key, path + "." + key.key, HEALTHCHECK);
            }
        }
        boolean disabled = keys.containsKey("disable") && bool(keys.get("disable"), path + ".disable");
        List<String> test = null;
        if (keys.containsKey("test")) {
            Entry testEntry = keys.get("test");
            if (testEntry.value instanceof ScalarNode) {
                test = List.of("CMD-SHELL", scalar(testEntry, path + ".test"));
            } else {
                List<String> items = new ArrayList<>();
                int index = 0;
                for (Node item : sequence(testEntry.value, path + ".test")) {
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
    private Duration duration(Entry entry, String path) {
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

    private List<String> commandLine(Entry entry, String path) {
        if (entry.value instanceof ScalarNode) {
            return split(scalar(entry, path), entry, path);
        }
        List<String> items = new ArrayList<>();
        int index = 0;
        for (Node item : sequence(entry.value, path)) {
            items.add(scalarValue(item, path + "[" + index++ + "]"));
        }
        return List.copyOf(items);
    }

    /** Splits a command string like a POSIX shell's words (quotes and backslashes; no expansion), as Compose does. */
    private List<String> split(String text, Entry entry, String path) {
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

    private String restart(Entry entry, String path) {
        String value = scalar(entry, path);
        if (value.equals("false")) {
            value = "no"; // YAML 1.1 reads an unquoted no as false
        }
        if (value.equals("no") || value.equals("always") || value.equals("unless-stopped") || value.matches("on-failure(:[0-9]{1,4})?")) {
            return value;
        }
        throw error(entry.valueLine(), path + " '" + value + "' is not one of no, always, on-failure[:N], unless-stopped.");
    }

    private Limits deploy(Entry entry, String path) {
        Map<String, Entry> keys = mapping(entry.value, path);
        for (Entry key : keys.values()) {
            if (!key.key.equals("resources") && !extension(key.key)) {
                throw unsupported(key, path + "." + key.key, Set.of("resources"));
            }
        }
        if (!keys.containsKey("resources")) {
            return null;
        }
        Map<String, Entry> resources = mapping(keys.get("resources").value, path + ".resources");
        for (Entry key : resources.values()) {
            if (!key.key.equals("limits") && !extension(key.key)) {
                throw unsupported(key, path + ".resources." + key.key, Set.of("limits"));
            }
        }
        if (!resources.containsKey("limits")) {
            return null;
        }
        String limitsPath = path + ".resources.limits";
        Map<String, Entry> limits = mapping(resources.get("limits").value, limitsPath);
        Double cpus = null;
        Long memory = null;
        Long pids = null;
        for (Entry key : limits.values()) {
            String text = scalar(key, limitsPath + "." + key.key);
            switch (key.key) {
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
                default -> throw unsupported(key, limitsPath + "." + key.key, Set.of("cpus", "memory", "pids"));
            }
        }
        return new Limits(cpus, memory, pids);
    }

    /** {@code 512m}, {@code 1g}, {@code 1.5G}, {@code 1024} (bytes), as Compose reads them. */
    private long bytes(String text, Entry entry, String path) {
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

    private List<String> serviceNetworks(Entry entry, String path, Map<String, Network> networks) {
        List<String> names = new ArrayList<>();
        if (entry.value instanceof SequenceNode) {
            int index = 0;
            for (Node item : sequence(entry.value, path)) {
                String name = scalarValue(item, path + "[" + index++ + "]");
                requireNetwork(name, line(item), path, networks);
                names.add(name);
            }
            return names;
        }
        for (Entry network : mapping(entry.value, path).values()) {
            if (!isNull(network.value)) {
                for (Entry key : mapping(network.value, path + "." + network.key).values()) {
                    throw unsupported(key, path + "." + network.key + "." + key.key, Set.of());
                }
            }
            requireNetwork(network.key, network.line(), path, networks);
            names.add(network.key);
        }
        return names;
    }

    private void requireNetwork(String name, int line, String path, Map<String, Network> networks) {
        if (!name.equals("default") && !networks.containsKey(name)) {
            throw error(line, path + " names the network " + name + ", which the top-level networks do not declare.");
        }
    }

    private NamedVolume topVolume(Entry entry) {
        String path = "volumes." + entry.key;
        if (isNull(entry.value)) {
            return new NamedVolume(entry.key, false, Map.of());
        }
        Map<String, Entry> keys = mapping(entry.value, path);
        for (Entry key : keys.values()) {
            if (!TOP_VOLUME.contains(key.key) && !extension(key.key)) {
                throw unsupported(key, path + "." + key.key, TOP_VOLUME);
            }
        }
        boolean external = keys.containsKey("external") && bool(keys.get("external"), path + ".external");
        String name = keys.containsKey("name") ? scalar(keys.get("name"), path + ".name") : entry.key;
        Map<String, String> labels = keys.containsKey("labels") ? keyValues(keys.get("labels"), path + ".labels", false) : Map.of();
        return new NamedVolume(name, external, labels);
    }

    private Network topNetwork(Entry entry) {
        String path = "networks." + entry.key;
        if (isNull(entry.value)) {
            return new Network(entry.key, false, Map.of());
        }
        Map<String, Entry> keys = mapping(entry.value, path);
        for (Entry key : keys.values()) {
            if (!TOP_NETWORK.contains(key.key) && !extension(key.key)) {
                throw unsupported(key, path + "." + key.key, TOP_NETWORK);
            }
        }
        if (keys.containsKey("driver")) {
            String driver = scalar(keys.get("driver"), path + ".driver");
            if (!driver.equals("bridge")) {
                throw error(keys.get("driver").valueLine(), path + ".driver '" + driver + "' is not supported (only bridge).");
            }
        }
        boolean external = keys.containsKey("external") && bool(keys.get("external"), path + ".external");
        String name = keys.containsKey("name") ? scalar(keys.get("name"), path + ".name") : entry.key;
        Map<String, String> labels = keys.containsKey("labels") ? keyValues(keys.get("labels"), path + ".labels", false) : Map.of();
        return new Network(name, external, labels);
    }

    private void checkCycles(Map<String, Service> services, Map<String, Entry> entries) {
        Map<String, Integer> state = new LinkedHashMap<>();
        for (String name : services.keySet()) {
            visit(name, services, entries, state, new ArrayList<>());
        }
    }

    private void visit(String name, Map<String, Service> services, Map<String, Entry> entries, Map<String, Integer> state,
                       List<String> trail) {
        Integer seen = state.get(name);
        if (seen != null && seen == 2) {
            return;
        }
        trail.add(name);
        if (seen != null) {
            List<String> cycle = trail.subList(trail.indexOf(name), trail.size());
            throw error(entries.get(name).line(), "services." + name + ".depends_on makes a cycle: " + String.join(" → ", cycle) + ".");
        }
        state.put(name, 1);
        for (String dependency : services.get(name).dependsOn().keySet()) {
            visit(dependency, services, entries, state, trail);
        }
        state.put(name, 2);
        trail.remove(trail.size() - 1);
    }

    // ------------------------------------------------------------------ nodes

    /** One key of a mapping: its name, key node (for the line) and value node. */
    private record Entry(String key, Node keyNode, Node value) {
        int line() {
            return ComposeParser.line(keyNode);
        }

        int valueLine() {
            return ComposeParser.line(value);
        }
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    private static boolean extension(String key) {
        return key.startsWith("x-");
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode scalar && Tag.NULL.equals(scalar.getTag());
    }

    /** The keys of a mapping node, merge keys ({@code <<: *anchor}) expanded; a repeated key is an error. */
    private Map<String, Entry> mapping(Node node, String path) {
        if (!(node instanceof MappingNode mapping)) {
            throw error(line(node), path + " must be a mapping (key: value lines).");
        }
        if (!Tag.MAP.equals(node.getTag())) {
            throw error(line(node), path + ": the YAML tag " + node.getTag() + " is not allowed.");
        }
        Map<String, Entry> merged = new LinkedHashMap<>();
        Map<String, Entry> own = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (Tag.MERGE.equals(keyNode.getTag())) {
                List<Node> sources = tuple.getValueNode() instanceof SequenceNode sequence ? sequence.getValue()
                        : List.of(tuple.getValueNode());
                for (Node source : sources) {
                    for (Entry entry : mapping(source, path).values()) {
                        merged.putIfAbsent(entry.key, entry);
                    }
                }
                continue;
            }
            if (!(keyNode instanceof ScalarNode scalarKey)) {
                throw error(line(keyNode), path + " has a key that is not a plain name.");
            }
            String key = scalarKey.getValue();
            if (own.containsKey(key)) {
                throw error(line(keyNode), path + "." + key + " is given twice.");
            }
            own.put(key, new Entry(key, keyNode, tuple.getValueNode()));
        }
        merged.putAll(own);
        return merged;
    }

    private List<Node> sequence(Node node, String path) {
        if (!(node instanceof SequenceNode sequence)) {
            throw error(line(node), path + " must be a list.");
        }
        if (!Tag.SEQ.equals(node.getTag())) {
            throw error(line(node), path + ": the YAML tag " + node.getTag() + " is not allowed.");
        }
        return sequence.getValue();
    }

    private String scalar(Entry entry, String path) {
        return scalarValue(entry.value, path);
    }

    private String scalarValue(Node node, String path) {
        if (!(node instanceof ScalarNode scalar) || Tag.NULL.equals(node.getTag())) {
            throw error(line(node), path + " must be a single value.");
        }
        if (!PLAIN_TAGS.contains(node.getTag())) {
            throw error(line(node), path + ": the YAML tag " + node.getTag() + " is not allowed.");
        }
        if (variables == null) {
            return scalar.getValue();
        }
        try {
            return Interpolation.apply(scalar.getValue(), variables, name -> warnings.add(fileName + " line " + line(node)
                    + ": " + path + " uses the variable " + name + ", which the application's environment does not set (empty)."));
        } catch (Interpolation.Failure e) {
            throw error(line(node), path + " " + e.getMessage() + ".");
        }
    }

    private boolean bool(Entry entry, String path) {
        String value = scalar(entry, path).toLowerCase(Locale.ROOT);
        if (value.equals("true") || value.equals("yes")) {
            return true;
        }
        if (value.equals("false") || value.equals("no")) {
            return false;
        }
        throw error(entry.valueLine(), path + " must be true or false.");
    }

    private PloyerException unsupported(Entry entry, String path, Set<String> supported) {
        return error(entry.line(), path + " is not supported by Ployer" + (supported.isEmpty() ? "."
                : " (supported here: " + String.join(", ", new java.util.TreeSet<>(supported)) + ")."));
    }

    private PloyerException error(int line, String sentence) {
        return new PloyerException(StandardErrorCode.INVALID_ARGUMENT, FIELD, fileName + " line " + line + ": " + sentence, null);
    }
}
