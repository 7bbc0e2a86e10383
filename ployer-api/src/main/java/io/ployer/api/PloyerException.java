package io.ployer.api;

import java.util.Objects;
import java.util.Optional;

/**
 * The one exception type of Ployer's API and SPI. It carries an {@link ErrorCode} (whose
 * {@link ErrorType} tells who is to blame) and, for validation errors, the name of the offending
 * field. Messages never contain secret values.
 */
public class PloyerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String field;

    public PloyerException(ErrorCode code, String message) {
        this(code, null, message, null);
    }

    public PloyerException(ErrorCode code, String message, Throwable cause) {
        this(code, null, message, cause);
    }

    public PloyerException(ErrorCode code, String field, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.code = Objects.requireNonNull(code, "code");
        this.field = field;
    }

    /** A validation failure of {@code field}, breaking {@code rule}. */
    public static PloyerException invalid(String field, String rule) {
        return new PloyerException(StandardErrorCode.INVALID_ARGUMENT, field, field + ": " + rule, null);
    }

    /** The entity of the given kind and id does not exist. */
    public static PloyerException notFound(String kind, String id) {
        return new PloyerException(StandardErrorCode.NOT_FOUND, kind + " not found: " + id);
    }

    /** A conflict with existing state, attributed to {@code field}. */
    public static PloyerException conflict(String field, String message) {
        return new PloyerException(StandardErrorCode.CONFLICT, field, message, null);
    }

    public ErrorCode code() {
        return code;
    }

    public ErrorType type() {
        return code.type();
    }

    /** The request field at fault, when the error is about one field. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}
