package io.ployer.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ployer.server.http.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Hostile requests generated from the server's own OpenAPI document, sent over a raw socket (so a
 * URL no client library would send, such as {@code %zz}, can be sent), and the rules every answer
 * to them must follow.
 */
final class HostileInput {
    /** A Java package or class name in a body: internals leaking to a client. */
    static final Pattern JAVA_NAME = Pattern.compile(
            "\\b(java|javax|jakarta|io\\.ployer|io\\.undertow|com\\.[a-z]+|org\\.[a-z]+)\\.[a-z]|[A-Z][a-zA-Z]+Exception\\b");
    static final ObjectMapper JSON = JsonMapper.create();

    private HostileInput() {
    }

    /** One operation of the document. */
    record Operation(String method, String path, boolean hasBody, Map<String, String> bodyFields) {
        /** The path with every parameter replaced. */
        String path(String parameterValue) {
            return path.replaceAll("\\{[^}]+}", parameterValue);
        }

        boolean hasPathParameters() {
            return path.contains("{");
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** One request to send. */
    record Request(String name, String method, String path, String token, String contentType, byte[] body) {
    }

    /** One raw answer. */
    record Answer(int status, Map<String, String> headers, String body) {
        JsonNode json() {
            try {
                return body.isBlank() ? null : JSON.readTree(body);
            } catch (IOException e) {
                return null;
            }
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    static List<Operation> operations(JsonNode document) {
        List<Operation> operations = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").properties().iterator();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().properties().iterator();
            while (methods.hasNext()) {
                Map.Entry<String, JsonNode> method = methods.next();
                JsonNode body = method.getValue().path("requestBody");
                Map<String, String> fields = new LinkedHashMap<>();
                body.path("content").path("application/json").path("schema").path("properties").properties().iterator()
                        .forEachRemaining(field -> fields.put(field.getKey(), field.getValue().path("type").asText()));
                operations.add(new Operation(method.getKey().toUpperCase(Locale.ROOT), path.getKey(), !body.isMissingNode(), fields));
            }
        }
        return operations;
    }

    /** JSON values of every type but {@code type}. */
    static List<String> wrongValues(String type) {
        Map<String, List<String>> samples = new LinkedHashMap<>();
        samples.put("string", List.of("\"text\"", "\"\""));
        samples.put("integer", List.of("123", "-1"));
        samples.put("number", List.of("1.5"));
        samples.put("boolean", List.of("true", "false"));
        samples.put("object", List.of("{}", "{\"a\":1}"));
        samples.put("array", List.of("[]", "[1]"));
        List<String> wrong = new ArrayList<>();
        samples.forEach((sampleType, values) -> {
            boolean fits = sampleType.equals(type) || type.equals("number") && sampleType.equals("integer");
            if (!fits) {
                wrong.addAll(values);
            }
        });
        return wrong;
    }

    /** The hostile requests for one operation, made with a valid token {@code token}. */
    static List<Request> requests(Operation operation, String token) {
        String unknown = "00000000-0000-0000-0000-000000000000";
        String path = operation.path(unknown);
        List<Request> requests = new ArrayList<>();
        String name = operation.toString();
        requests.add(new Request(name + ": no token", operation.method(), path, null, null, new byte[0]));
        requests.add(new Request(name + ": garbage token", operation.method(), path, "Bearer garbage.token-!*'()", null, new byte[0]));
        requests.add(new Request(name + ": token with a control character", operation.method(), path, "Bearer \u0001garbage", null, new byte[0]));
        requests.add(new Request(name + ": not a bearer token", operation.method(), path, "Basic " + "A".repeat(5000), null, new byte[0]));
        if (operation.hasPathParameters()) {
            for (String bad : List.of("%zz", "%FF%FE", "%", "%C0%AF", "a%00b")) {
                requests.add(new Request(name + ": path id " + bad, operation.method(), operation.path(bad), token, null, new byte[0]));
            }
        }
        if (!operation.hasBody()) {
            return requests; // the body is not read: sending one proves nothing and may act
        }
        requests.add(new Request(name + ": empty body without a content type", operation.method(), path, token, null, new byte[0]));
        requests.add(json(name + ": malformed JSON", operation, path, token, "{\"a\": "));
        requests.add(json(name + ": not an object", operation, path, token, "[1,2,3]"));
        requests.add(json(name + ": a bare string", operation, path, token, "\"x\""));
        requests.add(json(name + ": unknown field", operation, path, token, "{\"no_such_field_anywhere\":\"x\"}"));
        requests.add(json(name + ": deep nesting", operation, path, token, "[".repeat(5000) + "]".repeat(5000)));
        requests.add(json(name + ": deep nesting in a field", operation, path, token, "{\"a\":" + "{\"a\":".repeat(3000) + "1" + "}".repeat(3001)));
        requests.add(new Request(name + ": invalid UTF-8", operation.method(), path, token, "application/json",
                concat("{\"name\":\"".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xFF, (byte) 0xFE, (byte) 0xC0}, "\"}".getBytes(StandardCharsets.UTF_8))));
        String field = operation.bodyFields().isEmpty() ? "name" : operation.bodyFields().keySet().iterator().next();
        requests.add(json(name + ": 1 MB string", operation, path, token, "{\"" + field + "\":\"" + "a".repeat(1024 * 1024) + "\"}"));
        operation.bodyFields().forEach((bodyField, type) -> {
            for (String wrong : wrongValues(type)) {
                requests.add(json(name + ": " + bodyField + " (" + type + ") = " + wrong, operation, path, token,
                        "{\"" + bodyField + "\":" + wrong + "}"));
            }
        });
        return requests;
    }

    private static Request json(String name, Operation operation, String path, String token, String body) {
        return new Request(name, operation.method(), path, token, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Sends {@code request} to {@code /api/v1} on the port, over one HTTP/1.1 connection closed after it. */
    static Answer send(int port, Request request) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            StringBuilder head = new StringBuilder(request.method() + " /api/v1" + request.path() + " HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\nConnection: close\r\n");
            if (request.token() != null) {
                head.append("Authorization: ").append(request.token()).append("\r\n");
            }
            if (request.contentType() != null) {
                head.append("Content-Type: ").append(request.contentType()).append("\r\n");
            }
            if (request.body().length > 0 || !request.method().equals("GET") && !request.method().equals("DELETE")) {
                head.append("Content-Length: ").append(request.body().length).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                out.write(request.body());
                out.flush();
            } catch (IOException rejectedEarly) {
                // the server may answer (413) and close before the whole body is written
            }
            return parse(socket.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new AssertionError(request.name() + ": " + e, e);
        }
    }

    static Answer parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new AssertionError("no HTTP answer: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int position = 0;
        while (position < chunked.length) {
            int lineEnd = position;
            while (lineEnd + 1 < chunked.length && !(chunked[lineEnd] == '\r' && chunked[lineEnd + 1] == '\n')) {
                lineEnd++;
            }
            int size = Integer.parseInt(new String(chunked, position, lineEnd - position, StandardCharsets.ISO_8859_1).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.write(chunked, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }
        return out.toByteArray();
    }

    /** What is wrong with an answer, or null: never 5xx; every 4xx a JSON error with the security headers; no Java names. */
    static String problem(Answer answer) {
        if (answer.status() >= 500) {
            return "answered " + answer.status() + " " + answer.body();
        }
        if (JAVA_NAME.matcher(answer.body()).find()) {
            return "leaks a Java name: " + answer.body();
        }
        if (answer.status() >= 400) {
            JsonNode json = answer.json();
            if (json == null || !json.path("error").path("code").isTextual() || !json.path("error").path("message").isTextual()) {
                return "answered " + answer.status() + " without the JSON error body: " + answer.headers() + " " + answer.body();
            }
            if (!"nosniff".equals(answer.header("X-Content-Type-Options")) || answer.header("Content-Security-Policy") == null) {
                return "answered " + answer.status() + " without the security headers: " + answer.headers();
            }
        }
        return null;
    }
}
