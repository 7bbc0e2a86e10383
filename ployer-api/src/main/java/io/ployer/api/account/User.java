package io.ployer.api.account;

import java.time.Instant;
import java.util.Objects;

/**
 * A person who uses the reference server.
 *
 * @param id           stable id
 * @param email        lower-case e-mail address, unique
 * @param passwordHash encoded password hash (argon2id), never shown
 * @param role         role
 * @param createdAt    creation time
 */
public record User(String id, String email, String passwordHash, Role role, Instant createdAt) {
    public User {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    @Override
    public String toString() {
        return "User[id=" + id + ", email=" + email + ", role=" + role + "]";
    }
}
