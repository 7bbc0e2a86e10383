package io.ployer.api;

/**
 * A stable, machine-readable error code. Ployer's own codes are in {@link StandardErrorCode};
 * a plugin may define its own enum implementing this interface (code names are upper snake case).
 */
public interface ErrorCode {
    /** Stable name of the code, e.g. {@code INVALID_ARGUMENT}. */
    String name();

    /** The type that classifies this code. */
    ErrorType type();
}
