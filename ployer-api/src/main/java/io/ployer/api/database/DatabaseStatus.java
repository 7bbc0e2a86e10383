package io.ployer.api.database;

/** What Ployer last did with a database's container. */
public enum DatabaseStatus {
    /** Started (its readiness is {@link DatabaseService#health}). */
    RUNNING,
    /** Stopped by request. */
    STOPPED,
    /** Starting it failed. */
    FAILED
}
