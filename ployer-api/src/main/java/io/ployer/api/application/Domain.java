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
 */
public record Domain(String id, String applicationId, String hostname, boolean primary, boolean auto,
                     boolean verified, Instant createdAt) {
    public Domain {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public Domain withPrimary(boolean isPrimary) {
        return new Domain(id, applicationId, hostname, isPrimary, auto, verified, createdAt);
    }

    public Domain withVerified(boolean isVerified) {
        return new Domain(id, applicationId, hostname, primary, auto, isVerified, createdAt);
    }
}
