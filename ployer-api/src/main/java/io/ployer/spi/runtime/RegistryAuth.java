package io.ployer.spi.runtime;

import java.util.Objects;

/**
 * Credentials for one registry, handed to a pull or push. Never logged: {@link #toString()} hides the password.
 *
 * @param registry host and optional port ({@code docker.io} for Docker Hub)
 * @param username user name, or {@code null}
 * @param password password or token, or {@code null}
 */
public record RegistryAuth(String registry, String username, String password) {
    public RegistryAuth {
        Objects.requireNonNull(registry, "registry");
    }

    @Override
    public String toString() {
        return "RegistryAuth[registry=" + registry + ", username=" + username + "]";
    }
}
