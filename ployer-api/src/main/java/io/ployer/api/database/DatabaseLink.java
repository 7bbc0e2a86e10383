package io.ployer.api.database;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * An application linked to a database: at its next deploy its containers join the database's
 * network and get the connection variables.
 *
 * @param applicationId  the application
 * @param databaseId     the database
 * @param envPrefix      prefix of the variables ({@code DATABASE} gives {@code DATABASE_URL}, …)
 * @param environment    the variables, the password and the URL's password masked
 * @param createdAt      creation time
 */
public record DatabaseLink(String applicationId, String databaseId, String envPrefix, Map<String, String> environment,
                           Instant createdAt) {
    public DatabaseLink {
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(databaseId, "databaseId");
        Objects.requireNonNull(envPrefix, "envPrefix");
        Objects.requireNonNull(createdAt, "createdAt");
        environment = Map.copyOf(environment == null ? Map.of() : environment);
    }
}
