package io.ployer.spi.runtime;

/**
 * Describes a container runtime.
 *
 * @param name    runtime kind, e.g. {@code docker}
 * @param version server version
 * @param host    where it is reached
 */
public record RuntimeInfo(String name, String version, String host) {
}
