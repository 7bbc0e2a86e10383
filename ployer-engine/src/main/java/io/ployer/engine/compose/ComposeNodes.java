package io.ployer.engine.compose;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * What {@link ComposeParser} reads YAML with: SnakeYAML's nodes as mappings (merge keys expanded, a repeated
 * key refused), lists and single values (variables replaced), each error a sentence naming the file, the line
 * and the key's path; and the {@code KEY=VALUE} shapes Compose accepts for environments, labels and args.
 */
abstract class ComposeNodes {
    static final Set<Tag> PLAIN_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.TIMESTAMP);
    static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    final String fileName;
    final Map<String, String> variables;
    final List<String> warnings = new ArrayList<>();

    ComposeNodes(String fileName, Map<String, String> variables) {
        this.fileName = fileName;
        this.variables = variables;
    }

    /** A mapping of scalars or a list of {@code KEY=VALUE} (a bare {@code KEY}: null when {@code bareKeys}). */
    Map<String, String> keyValues(Entry entry, String path, boolean bareKeys) {
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

    void checkKey(String key, Node node, String path) {
        if (key.isEmpty() || !ENV_KEY.matcher(key).matches()) {
            throw error(line(node), path + ": '" + key + "' is not a valid name (letters, digits, '_', '.' and '-').");
        }
    }

    List<String> envFiles(Entry entry, String path) {
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

    /** One key of a mapping: its name, key node (for the line) and value node. */
    record Entry(String key, Node keyNode, Node value) {
        int line() {
            return ComposeNodes.line(keyNode);
        }

        int valueLine() {
            return ComposeNodes.line(value);
        }
    }

    static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    static boolean extension(String key) {
        return key.startsWith("x-");
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode scalar && Tag.NULL.equals(scalar.getTag());
    }

    /** The keys of a mapping node, merge keys ({@code <<: *anchor}) expanded; a repeated key is an error. */
    Map<String, Entry> mapping(Node node, String path) {
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

    List<Node> sequence(Node node, String path) {
        if (!(node instanceof SequenceNode sequence)) {
            throw error(line(node), path + " must be a list.");
        }
        if (!Tag.SEQ.equals(node.getTag())) {
            throw error(line(node), path + ": the YAML tag " + node.getTag() + " is not allowed.");
        }
        return sequence.getValue();
    }

    String scalar(Entry entry, String path) {
        return scalarValue(entry.value, path);
    }

    String scalarValue(Node node, String path) {
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

    boolean bool(Entry entry, String path) {
        String value = scalar(entry, path).toLowerCase(Locale.ROOT);
        if (value.equals("true") || value.equals("yes")) {
            return true;
        }
        if (value.equals("false") || value.equals("no")) {
            return false;
        }
        throw error(entry.valueLine(), path + " must be true or false.");
    }

    PloyerException unsupported(Entry entry, String path, Set<String> supported) {
        return error(entry.line(), path + " is not supported by Ployer" + (supported.isEmpty() ? "."
                : " (supported here: " + String.join(", ", new java.util.TreeSet<>(supported)) + ")."));
    }

    PloyerException error(int line, String sentence) {
        return new PloyerException(StandardErrorCode.INVALID_ARGUMENT, ComposeParser.FIELD, fileName + " line " + line + ": " + sentence, null);
    }
}
