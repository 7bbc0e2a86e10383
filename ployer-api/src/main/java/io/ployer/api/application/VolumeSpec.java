package io.ployer.api.application;

/**
 * A volume to add to an application.
 *
 * @param name          {@code [a-z0-9][a-z0-9_.-]*}, at most 64 characters, unique per application
 * @param hostPath      absolute host directory for a bind mount (admin only, under {@code volumes.bind-roots}),
 *                      {@code null} for a named volume
 * @param containerPath absolute path inside the container, not {@code /}, without {@code ..}
 * @param readOnly      mount read-only; default false
 * @param exclusive     stop the old container before starting the new one on deploy; default false
 */
public record VolumeSpec(String name, String hostPath, String containerPath, Boolean readOnly, Boolean exclusive) {

    /** A named volume at {@code containerPath}. */
    public static VolumeSpec named(String name, String containerPath) {
        return new VolumeSpec(name, null, containerPath, null, null);
    }

    public VolumeSpec asExclusive() {
        return new VolumeSpec(name, hostPath, containerPath, readOnly, true);
    }
}
