package io.ployer.api.application;

import java.time.Instant;
import java.util.Objects;

/**
 * A hostname routed to an application.
 *
 * @param id            stable id
 * @param applicationId owning application
 * @param hostname      lower-case, IDNA-normalised (ASCII) hostname, unique across applications
 * @param primary       whether this is the app's primary domain
 * @param auto          whether Ployer generated it ({@code <app>.<base domain>})
 * @param verified      whether its DNS was verified to point here
 * @param createdAt     creation time
 * @param service       for a Compose application, the service the hostname routes to ({@code null}: the primary
 *                      routed service, the first service of the file that a domain names, else the file's first
 *                      service); each named service is routed on its own; {@code null} for other applications
 * @param port          the port of that service the hostname routes to ({@code null}: the service's first
 *                      {@code expose}, else the application's port)
 */
public record Domain(String id, String applicationId, String hostname, boolean primary, boolean auto,
                     boolean verified, Instant createdAt, String service, Integer port) {
    public Domain {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** A domain routed to the application itself (no service, no port of its own). */
    public Domain(String id, String applicationId, String hostname, boolean primary, boolean auto, boolean verified,
                  Instant createdAt) {
        this(id, applicationId, hostname, primary, auto, verified, createdAt, null, null);
    }

    public Domain withPrimary(boolean isPrimary) {
        return new Domain(id, applicationId, hostname, isPrimary, auto, verified, createdAt, service, port);
    }

    public Domain withVerified(boolean isVerified) {
        return new Domain(id, applicationId, hostname, primary, auto, isVerified, createdAt, service, port);
    }
}
