package io.ployer.api.container;

import java.util.Objects;

/**
 * A volume mounted into a container.
 *
 * @param source   named volume name ({@code bind} false) or absolute host path ({@code bind} true)
 * @param target   absolute path in the container
 * @param bind     whether {@code source} is a host path
 * @param readOnly read-only mount
 */
public record Mount(String source, String target, boolean bind, boolean readOnly) {
    public Mount {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
    }
}
