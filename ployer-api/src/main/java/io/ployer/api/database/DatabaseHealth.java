package io.ployer.api.database;

/**
 * The outcome of a database's engine-specific readiness check ({@code pg_isready}, {@code mysqladmin
 * ping}, {@code redis-cli ping}).
 *
 * @param ready   whether it answers
 * @param detail  what the check said
 */
public record DatabaseHealth(boolean ready, String detail) {
}
