package io.ployer.api.registry;

import java.time.Instant;
import java.util.Objects;

/**
 * An image registry Ployer pulls from (and pushes built images to) with credentials. The password is
 * stored encrypted and never shown: {@code hasPassword} says whether one is set.
 *
 * @param id          stable id (UUID text)
 * @param url         the registry's host and optional port, as image references name it ({@code registry.example.com},
 *                    {@code 127.0.0.1:5000}); {@code docker.io} for Docker Hub
 * @param username    the user to log in as, or {@code null} for anonymous access
 * @param hasPassword whether a password (or token) is stored
 * @param createdAt   creation time
 * @param updatedAt   last change
 */
public record Registry(String id, String url, String username, boolean hasPassword, Instant createdAt, Instant updatedAt) {
    public Registry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
