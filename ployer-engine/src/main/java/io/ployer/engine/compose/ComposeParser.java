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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a Compose file into a {@link ComposeFile}: the subset people use (see the README's Stacks
 * section). Every key outside it is an error naming the key's path and line, never silently ignored;
 * {@code x-} extension keys are allowed everywhere, as Compose allows them. Published {@code ports}
 * are accepted with a warning (the proxy routes instead). Variables ({@code ${VAR}}, {@code ${VAR:-default}},
 * see {@link Interpolation}) are replaced in every value (never in keys) when variables are given, and kept as
 * written otherwise. The YAML is read by SnakeYAML's safe loader (no tags, at most 50 aliases, 1 MiB).
 */
public final class ComposeParser extends ComposeValues {
    /** The request field errors are attributed to. */
    public static final String FIELD = "compose_file";
    static final int MAX_CHARACTERS = 1 << 20;
    private static final Set<String> TOP_LEVEL = Set.of("services", "volumes", "networks", "version", "name");
    private static final Set<String> SERVICE = Set.of("build", "image", "environment", "env_file", "ports", "expose", "volumes",
            "depends_on", "healthcheck", "command", "entrypoint", "restart", "deploy", "networks", "labels");
    private static final Set<String> BUILD = Set.of("context", "dockerfile", "args");
    private static final Set<String> TOP_VOLUME = Set.of("external", "labels", "name");
    private static final Set<String> TOP_NETWORK = Set.of("external", "labels", "name", "driver");
    private static final Pattern SERVICE_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}");

    private ComposeParser(String fileName, Map<String, String> variables) {
        super(fileName, variables);
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
            if (!TOP_LEVEL.contains(entry.key()) && !extension(entry.key())) {
                throw unsupported(entry, entry.key(), TOP_LEVEL);
            }
        }
        if (top.containsKey("version")) {
            warnings.add(fileName + " line " + top.get("version").line() + ": version is obsolete and ignored.");
        }
        Map<String, NamedVolume> volumes = new LinkedHashMap<>();
        if (top.containsKey("volumes") && !isNull(top.get("volumes").value())) {
            for (Entry entry : mapping(top.get("volumes").value(), "volumes").values()) {
                volumes.put(entry.key(), topVolume(entry));
            }
        }
        Map<String, Network> networks = new LinkedHashMap<>();
        if (top.containsKey("networks") && !isNull(top.get("networks").value())) {
            for (Entry entry : mapping(top.get("networks").value(), "networks").values()) {
                networks.put(entry.key(), topNetwork(entry));
            }
        }
        Entry servicesEntry = top.get("services");
        if (servicesEntry == null || isNull(servicesEntry.value())) {
            throw new PloyerException(StandardErrorCode.INVALID_ARGUMENT, FIELD, fileName + " declares no services.", null);
        }
        Map<String, Service> services = new LinkedHashMap<>();
        Map<String, Entry> serviceEntries = mapping(servicesEntry.value(), "services");
        if (serviceEntries.isEmpty()) {
            throw new PloyerException(StandardErrorCode.INVALID_ARGUMENT, FIELD, fileName + " declares no services.", null);
        }
        for (Entry entry : serviceEntries.values()) {
            if (extension(entry.key())) {
                continue;
            }
            services.put(entry.key(), service(entry, volumes, networks));
        }
        for (Entry entry : serviceEntries.values()) {
            Service service = services.get(entry.key());
            if (service == null) {
                continue;
            }
            for (String dependency : service.dependsOn().keySet()) {
                if (!services.containsKey(dependency)) {
                    Entry dependsOn = mapping(entry.value(), "services." + entry.key()).get("depends_on");
                    throw error(dependsOn.valueLine(), "services." + entry.key() + ".depends_on names " + dependency
                            + ", which is not a service of this file.");
                }
            }
        }
        checkCycles(services, serviceEntries);
        return new ComposeFile(services, volumes, networks, warnings);
    }

    private Service service(Entry entry, Map<String, NamedVolume> volumes, Map<String, Network> networks) {
        String path = "services." + entry.key();
        if (!SERVICE_NAME.matcher(entry.key()).matches()) {
            throw error(entry.line(), path + ": a service name is letters, digits, '_', '.' and '-', starting with a letter or digit.");
        }
        Map<String, Entry> keys = mapping(entry.value(), path);
        for (Entry key : keys.values()) {
            if (!SERVICE.contains(key.key()) && !extension(key.key())) {
                throw unsupported(key, path + "." + key.key(), SERVICE);
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
        return new Service(entry.key(), build, image, environment, envFiles, ports, expose, mounts, dependsOn, healthcheck, command,
                entrypoint, restart, limits, serviceNetworks, labels);
    }

    private Build build(Entry entry, String path) {
        if (entry.value() instanceof ScalarNode) {
            return new Build(scalar(entry, path), "Dockerfile", Map.of());
        }
        Map<String, Entry> keys = mapping(entry.value(), path);
        for (Entry key : keys.values()) {
            if (!BUILD.contains(key.key()) && !extension(key.key())) {
                throw unsupported(key, path + "." + key.key(), BUILD);
            }
        }
        String context = keys.containsKey("context") ? scalar(keys.get("context"), path + ".context") : ".";
        String dockerfile = keys.containsKey("dockerfile") ? scalar(keys.get("dockerfile"), path + ".dockerfile") : "Dockerfile";
        Map<String, String> args = keys.containsKey("args") ? keyValues(keys.get("args"), path + ".args", true) : Map.of();
        return new Build(context, dockerfile, args);
    }

    private Map<String, Condition> dependsOn(Entry entry, String path) {
        Map<String, Condition> result = new LinkedHashMap<>();
        if (entry.value() instanceof SequenceNode) {
            int index = 0;
            for (Node item : sequence(entry.value(), path)) {
                result.put(scalarValue(item, path + "[" + index++ + "]"), Condition.SERVICE_STARTED);
            }
            return result;
        }
        for (Entry dependency : mapping(entry.value(), path).values()) {
            String dependencyPath = path + "." + dependency.key();
            Condition condition = Condition.SERVICE_STARTED;
            if (!isNull(dependency.value())) {
                for (Entry key : mapping(dependency.value(), dependencyPath).values()) {
                    if (!key.key().equals("condition")) {
                        throw unsupported(key, dependencyPath + "." + key.key(), Set.of("condition"));
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
            result.put(dependency.key(), condition);
        }
        return result;
    }

    private List<String> serviceNetworks(Entry entry, String path, Map<String, Network> networks) {
        List<String> names = new ArrayList<>();
        if (entry.value() instanceof SequenceNode) {
            int index = 0;
            for (Node item : sequence(entry.value(), path)) {
                String name = scalarValue(item, path + "[" + index++ + "]");
                requireNetwork(name, line(item), path, networks);
                names.add(name);
            }
            return names;
        }
        for (Entry network : mapping(entry.value(), path).values()) {
            if (!isNull(network.value())) {
                for (Entry key : mapping(network.value(), path + "." + network.key()).values()) {
                    throw unsupported(key, path + "." + network.key() + "." + key.key(), Set.of());
                }
            }
            requireNetwork(network.key(), network.line(), path, networks);
            names.add(network.key());
        }
        return names;
    }

    private void requireNetwork(String name, int line, String path, Map<String, Network> networks) {
        if (!name.equals("default") && !networks.containsKey(name)) {
            throw error(line, path + " names the network " + name + ", which the top-level networks do not declare.");
        }
    }

    private NamedVolume topVolume(Entry entry) {
        String path = "volumes." + entry.key();
        if (isNull(entry.value())) {
            return new NamedVolume(entry.key(), false, Map.of());
        }
        Map<String, Entry> keys = mapping(entry.value(), path);
        for (Entry key : keys.values()) {
            if (!TOP_VOLUME.contains(key.key()) && !extension(key.key())) {
                throw unsupported(key, path + "." + key.key(), TOP_VOLUME);
            }
        }
        boolean external = keys.containsKey("external") && bool(keys.get("external"), path + ".external");
        String name = keys.containsKey("name") ? scalar(keys.get("name"), path + ".name") : entry.key();
        Map<String, String> labels = keys.containsKey("labels") ? keyValues(keys.get("labels"), path + ".labels", false) : Map.of();
        return new NamedVolume(name, external, labels);
    }

    private Network topNetwork(Entry entry) {
        String path = "networks." + entry.key();
        if (isNull(entry.value())) {
            return new Network(entry.key(), false, Map.of());
        }
        Map<String, Entry> keys = mapping(entry.value(), path);
        for (Entry key : keys.values()) {
            if (!TOP_NETWORK.contains(key.key()) && !extension(key.key())) {
                throw unsupported(key, path + "." + key.key(), TOP_NETWORK);
            }
        }
        if (keys.containsKey("driver")) {
            String driver = scalar(keys.get("driver"), path + ".driver");
            if (!driver.equals("bridge")) {
                throw error(keys.get("driver").valueLine(), path + ".driver '" + driver + "' is not supported (only bridge).");
            }
        }
        boolean external = keys.containsKey("external") && bool(keys.get("external"), path + ".external");
        String name = keys.containsKey("name") ? scalar(keys.get("name"), path + ".name") : entry.key();
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

}
