package io.ployer.server.http;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The OpenAPI 3 description of the REST API, read from the JAX-RS annotations of the resources the
 * server actually registers, so it cannot drift from them. Request bodies are described from the
 * request records' components (snake_case, as the API speaks).
 */
public final class OpenApiDocument {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Map<Class<? extends Annotation>, String> METHODS = Map.of(GET.class, "get", POST.class, "post",
            PUT.class, "put", DELETE.class, "delete", PATCH.class, "patch", HEAD.class, "head", OPTIONS.class, "options");
    private static final PropertyNamingStrategies.SnakeCaseStrategy SNAKE = new PropertyNamingStrategies.SnakeCaseStrategy();

    private OpenApiDocument() {
    }

    /** The document for the given resource objects, with the extra non-JAX-RS paths (the WebSocket). */
    public static ObjectNode describe(Set<Object> resources, String version) {
        ObjectNode document = JSON.objectNode();
        document.put("openapi", "3.0.3");
        document.putObject("info").put("title", "Ployer API").put("version", version);
        document.putArray("servers").addObject().put("url", ApiPaths.PREFIX);
        ObjectNode schemes = document.putObject("components").putObject("securitySchemes");
        schemes.putObject("bearer").put("type", "http").put("scheme", "bearer");
        document.putArray("security").addObject().putArray("bearer");
        Map<String, ObjectNode> paths = new TreeMap<>();
        for (Object resource : resources) {
            Class<?> type = resource.getClass();
            Path classPath = type.getAnnotation(Path.class);
            if (classPath == null) {
                continue;
            }
            Method[] methods = type.getMethods();
            java.util.Arrays.sort(methods, Comparator.comparing(Method::getName));
            for (Method method : methods) {
                String httpMethod = httpMethod(method);
                if (httpMethod == null) {
                    continue;
                }
                Path methodPath = method.getAnnotation(Path.class);
                String path = join(classPath.value(), methodPath == null ? "" : methodPath.value());
                ObjectNode operations = paths.computeIfAbsent(path, key -> JSON.objectNode());
                ObjectNode operation = operation(type, method);
                OperationPermissions.of(httpMethod.toUpperCase(Locale.ROOT), path)
                        .ifPresent(permission -> operation.put("x-ployer-permission", permission));
                operations.set(httpMethod, operation);
            }
        }
        ObjectNode websocket = JSON.objectNode();
        websocket.putObject("get").put("operationId", "eventStream")
                .put("summary", "Live events over WebSocket: send {\"type\":\"auth\",\"token\":\"…\"} first, then subscribe to topics")
                .putObject("responses").putObject("101").put("description", "Switching to the WebSocket protocol");
        ((ObjectNode) websocket.get("get")).put("x-ployer-permission", OperationPermissions.of("GET", "/ws").orElseThrow());
        paths.put("/ws", websocket);
        ObjectNode self = JSON.objectNode();
        self.putObject("get").put("operationId", "openapi").put("summary", "This document")
                .putObject("responses").putObject("200").put("description", "The OpenAPI document");
        ((ObjectNode) self.get("get")).put("x-ployer-permission", OperationPermissions.of("GET", "/openapi.json").orElseThrow());
        paths.put("/openapi.json", self);
        ObjectNode pathsNode = document.putObject("paths");
        paths.forEach(pathsNode::set);
        return document;
    }

    private static String httpMethod(Method method) {
        for (Map.Entry<Class<? extends Annotation>, String> entry : METHODS.entrySet()) {
            if (method.isAnnotationPresent(entry.getKey())) {
                return entry.getValue();
            }
        }
        return null;
    }

    public static String join(String first, String second) {
        String joined = ("/" + first + "/" + second).replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }

    private static ObjectNode operation(Class<?> type, Method method) {
        ObjectNode operation = JSON.objectNode();
        operation.put("operationId", type.getSimpleName().replace("Resource", "").toLowerCase(Locale.ROOT) + "_" + method.getName());
        var parameters = operation.putArray("parameters");
        for (Parameter parameter : method.getParameters()) {
            PathParam pathParam = parameter.getAnnotation(PathParam.class);
            QueryParam queryParam = parameter.getAnnotation(QueryParam.class);
            if (pathParam != null) {
                parameters.addObject().put("name", pathParam.value()).put("in", "path").put("required", true)
                        .putObject("schema").put("type", "string");
            } else if (queryParam != null && PAGING.containsKey(queryParam.value())) {
                parameters.addObject().put("name", queryParam.value()).put("in", "query").put("required", false)
                        .put("description", PAGING.get(queryParam.value()))
                        .putObject("schema").put("type", "integer").put("minimum", queryParam.value().equals("limit") ? 1 : 0)
                        .put("maximum", queryParam.value().equals("limit") ? io.ployer.api.Page.MAX_LIMIT : Integer.MAX_VALUE);
            } else if (queryParam != null) {
                parameters.addObject().put("name", queryParam.value()).put("in", "query").put("required", false)
                        .putObject("schema").put("type", "string");
            } else if (!parameter.isAnnotationPresent(Context.class)) {
                ObjectNode schema = operation.putObject("requestBody").put("required", false).putObject("content")
                        .putObject("application/json").putObject("schema");
                describeBody(parameter.getType(), schema);
            }
        }
        ObjectNode responses = operation.putObject("responses");
        if (paged(method)) {
            ObjectNode headers = responses.putObject("200").put("description", "One page, as a JSON array (newest or by name, as listed)")
                    .putObject("headers");
            headers.putObject(Paging.TOTAL_COUNT).put("description", "How many items there are across all pages")
                    .putObject("schema").put("type", "integer");
            headers.putObject(Paging.LINK).put("description", "RFC 8288 links to the neighbouring pages: rel=\"next\" and rel=\"prev\", "
                    + "each a path with the same query and another offset; absent on a single page").putObject("schema").put("type", "string");
        }
        responses.putObject("2XX").put("description", "Success (JSON; gzip-compressed when larger than 1 KiB and the request accepts gzip)");
        responses.putObject("4XX").put("description", "Client error: {\"error\":{\"code\",\"message\",\"field\"}}");
        return operation;
    }

    private static final Map<String, String> PAGING = Map.of(
            "offset", "Items to skip (default 0); 400 naming offset when not an integer ≥ 0",
            "limit", "Items to return at most (default " + Paging.DEFAULT_LIMIT + ", at most " + io.ployer.api.Page.MAX_LIMIT
                    + "); 400 naming limit otherwise");

    private static boolean paged(Method method) {
        Set<String> names = new java.util.HashSet<>();
        for (Parameter parameter : method.getParameters()) {
            QueryParam queryParam = parameter.getAnnotation(QueryParam.class);
            if (queryParam != null) {
                names.add(queryParam.value());
            }
        }
        return names.containsAll(PAGING.keySet());
    }

    private static void describeBody(Class<?> type, ObjectNode schema) {
        schema.put("type", "object").put("title", type.getSimpleName());
        if (!type.isRecord()) {
            return;
        }
        ObjectNode properties = schema.putObject("properties");
        for (RecordComponent component : type.getRecordComponents()) {
            properties.putObject(SNAKE.translate(component.getName())).put("type", jsonType(component.getType()));
        }
    }

    private static String jsonType(Class<?> type) {
        if (type == String.class || type.isEnum()) {
            return "string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class) {
            return "number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean";
        }
        if (List.class.isAssignableFrom(type) || Set.class.isAssignableFrom(type)) {
            return "array";
        }
        return "object";
    }
}
