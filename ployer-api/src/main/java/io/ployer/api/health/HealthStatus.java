package io.ployer.api.health;

/** Outcome of a health check, and the health of an application. */
public enum HealthStatus {
    HEALTHY,
    UNHEALTHY,
    UNKNOWN
}
