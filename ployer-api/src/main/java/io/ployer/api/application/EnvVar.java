package io.ployer.api.application;

import java.time.Instant;
import java.util.Objects;

/**
 * An environment variable of an application. Values are secret: the engine stores them encrypted,
 * lists them masked ({@link #masked()}), and hands plain values only to a caller that asks.
 *
 * @param id            stable id
 * @param applicationId owning application
 * @param key           {@code [A-Za-z_][A-Za-z0-9_]*}, at most 256 characters
 * @param value         the value (plain, encrypted or masked depending on where the record is)
 * @param buildTime     whether the value is also passed to the build as a build argument
 * @param createdAt     creation time
 * @param updatedAt     last change
 */
public record EnvVar(String id, String applicationId, String key, String value, boolean buildTime,
                     Instant createdAt, Instant updatedAt) {
    /** What a masked value reads as. */
    public static final String MASK = "********";

    public EnvVar {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** A copy whose value is {@link #MASK}. */
    public EnvVar masked() {
        return withValue(MASK);
    }

    public EnvVar withValue(String newValue) {
        return new EnvVar(id, applicationId, key, newValue, buildTime, createdAt, updatedAt);
    }

    @Override
    public String toString() {
        return "EnvVar[id=" + id + ", applicationId=" + applicationId + ", key=" + key + ", value=" + MASK
                + ", buildTime=" + buildTime + "]";
    }
}
