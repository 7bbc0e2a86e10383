package io.ployer.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns failures into HTTP responses: a {@link PloyerException}'s code decides
 * the status, JSON problems are 400s naming the field, and anything unexpected is a 500 whose
 * details go to the log, never to the client.
 */
@Provider
public final class ErrorMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    @Override
    public Response toResponse(Throwable failure) {
        if (failure instanceof PloyerException ployerException) {
            return fromPloyer(ployerException);
        }
        JsonBodyProvider.InvalidJsonException invalidJson = cause(failure, JsonBodyProvider.InvalidJsonException.class);
        if (invalidJson != null) {
            return fromJson(invalidJson.jsonFailure());
        }
        JsonProcessingException json = cause(failure, JsonProcessingException.class);
        if (json != null) {
            return fromJson(json);
        }
        if (failure instanceof WebApplicationException web) {
            return fromWeb(web);
        }
        RequestTooLargeException tooLarge = cause(failure, RequestTooLargeException.class);
        if (tooLarge != null || isEntityTooLarge(failure)) {
            return respond(413, "PAYLOAD_TOO_LARGE", "the request body is larger than allowed", null);
        }
        LOG.error("unexpected failure while serving a request", failure);
        return respond(500, "INTERNAL_ERROR", "internal error; see the server log", null);
    }

    /** The HTTP status of an error code. */
    public static int status(io.ployer.api.ErrorCode code) {
        if (code instanceof StandardErrorCode standard) {
            return switch (standard) {
                case INVALID_ARGUMENT, BUILD_FAILURE -> 400;
                case UNAUTHENTICATED, WEBHOOK_REJECTED -> 401;
                case PERMISSION_DENIED -> 403;
                case NOT_FOUND -> 404;
                case CONFLICT, INVALID_STATE, CANCELLED -> 409;
                case LIMIT_EXCEEDED -> 429;
                case CONFIGURATION, SECRET_KEY_MISMATCH -> 503;
                case TIMEOUT -> 504;
                case STORAGE_FAILURE, RUNTIME_FAILURE, PROXY_FAILURE, GIT_FAILURE, NOTIFICATION_FAILURE -> 502;
                case INTERNAL_ERROR -> 500;
                case STORAGE_FULL -> 507;
                case STORAGE_UNAVAILABLE -> 503;
            };
        }
        return switch (code.type()) {
            case USER -> 400;
            case EXTERNAL -> 502;
            case INSUFFICIENT_RESOURCES -> 503;
            case INTERNAL -> 500;
        };
    }

    private static Response fromPloyer(PloyerException failure) {
        int status = status(failure.code());
        if (status >= 500) {
            LOG.warn("request failed: {} {}{}", failure.code().name(), failure.getMessage(),
                    failure.getCause() == null ? "" : " (cause: " + failure.getCause() + ")");
        }
        return respond(status, failure.code().name(), failure.getMessage(), failure.field().orElse(null));
    }

    private static Response fromJson(JsonProcessingException failure) {
        String field = null;
        if (failure instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            field = mapping.getPath().stream()
                    .map(reference -> reference.getFieldName() != null ? reference.getFieldName() : "[" + reference.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
        }
        String message;
        if (failure instanceof UnrecognizedPropertyException unknown) {
            field = field == null ? unknown.getPropertyName() : field;
            message = field + ": unknown field";
        } else if (failure instanceof InvalidFormatException invalid) {
            message = (field == null ? "body" : field) + ": must be " + describe(invalid.getTargetType());
        } else if (failure instanceof JsonMappingException && field != null) {
            message = field + ": has the wrong type or is missing";
        } else {
            message = "body: is not valid JSON";
            field = field == null ? "body" : field;
        }
        return respond(400, "INVALID_ARGUMENT", message, field == null ? "body" : field);
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "a valid value";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.stream(type.getEnumConstants()).map(Object::toString)
                    .map(String::toLowerCase).collect(Collectors.joining(", "));
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (CharSequence.class.isAssignableFrom(type)) {
            return "text";
        }
        if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
            return "a time such as 2026-01-31T12:00:00Z";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (java.util.Map.class.isAssignableFrom(type)) {
            return "an object";
        }
        // Never a Java class name: the client sees the rule, the type stays in the server.
        return "a value of another type";
    }

    private static Response fromWeb(WebApplicationException failure) {
        int status = failure.getResponse().getStatus();
        if (failure instanceof NotFoundException) {
            return respond(404, "NOT_FOUND", "no such resource", null);
        }
        if (failure instanceof NotAllowedException) {
            return respond(405, "METHOD_NOT_ALLOWED", "this method is not allowed on this resource", null);
        }
        if (failure instanceof NotSupportedException) {
            return respond(415, "UNSUPPORTED_MEDIA_TYPE", "send application/json", null);
        }
        if (failure instanceof NotAcceptableException) {
            return respond(406, "NOT_ACCEPTABLE", "this resource answers application/json", null);
        }
        if (status >= 500) {
            LOG.error("request failed", failure);
            return respond(status, "INTERNAL_ERROR", "internal error; see the server log", null);
        }
        return respond(status, status == 400 ? "INVALID_ARGUMENT" : "HTTP_" + status, "the request was rejected", null);
    }

    private static boolean isEntityTooLarge(Throwable failure) {
        for (Throwable current = failure; current != null; current = current.getCause()) {
            String message = current.getMessage();
            if (message != null && (message.contains("UT000020") || message.contains("too large"))) {
                return true;
            }
        }
        return false;
    }

    private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
        for (Throwable current = failure; current != null; current = current.getCause()) {
            if (type.isInstance(current)) {
                return type.cast(current);
            }
        }
        return null;
    }

    /** A JSON error response. */
    public static Response respond(int status, String code, String message, String field) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(ErrorBody.of(code, message, field)).build();
    }
}
