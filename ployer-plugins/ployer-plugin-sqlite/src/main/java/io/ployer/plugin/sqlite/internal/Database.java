package io.ployer.plugin.sqlite.internal;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * SQLite access with one writer: every write runs on the single write connection inside a
 * {@code BEGIN IMMEDIATE} transaction, serialised by a lock; reads outside a transaction use the
 * reader pool, reads inside one use the write connection so they see its own changes.
 */
public final class Database {
    /** Maps the columns of a unique constraint to the request field it protects. */
    private static final Map<String, String> UNIQUE_FIELDS = Map.ofEntries(
            Map.entry("applications.name", "name"),
            Map.entry("domains.hostname", "hostname"),
            Map.entry("environment_variables.application_id, environment_variables.key", "key"),
            Map.entry("users.email", "email"),
            Map.entry("databases.name", "name"),
            Map.entry("backup_destinations.name", "name"),
            Map.entry("database_links.application_id, database_links.database_id", "database_id"),
            Map.entry("servers.name", "name"),
            Map.entry("notification_channels.name", "name"),
            Map.entry("api_keys.key_hash", "key"),
            Map.entry("sessions.token_hash", "token"),
            Map.entry("webhooks.application_id", "application_id"),
            Map.entry("application_volumes.application_id, application_volumes.name", "name"),
            Map.entry("application_volumes.application_id, application_volumes.container_path", "container_path"));

    private final DataSource readers;
    private final Connection writer;
    private final StatementCache statements = new StatementCache();
    /**
     * Off only to measure what kept statements save (bench/StorageReadBenchmark sets the system
     * property {@code ployer.sqlite.prepare-every-time} for one of its two engines).
     */
    private final boolean keepStatements = !Boolean.getBoolean("ployer.sqlite.prepare-every-time");
    private final ReentrantLock writeLock = new ReentrantLock(true);
    private final ThreadLocal<Boolean> inTransaction = ThreadLocal.withInitial(() -> false);
    /** Committed write transactions; counted after the commit, so a reader that saw n saw at least n commits. */
    private final java.util.concurrent.atomic.AtomicLong commits = new java.util.concurrent.atomic.AtomicLong();
    /**
     * Committed write transactions per table written, counted after the commit like {@link #commits}.
     * A delete from a table other tables reference (their rows go with it, ON DELETE CASCADE) and a
     * statement whose table is not recognised count under {@link #EVERY_TABLE}.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicLong> tableCommits =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** The tables the current thread's transaction wrote. */
    private final ThreadLocal<java.util.Set<String>> written = ThreadLocal.withInitial(java.util.HashSet::new);
    /** The pseudo-table counted when a commit may have changed any table. */
    static final String EVERY_TABLE = "*";
    /** Tables other tables reference with ON DELETE CASCADE: deleting from them may change those too. */
    private static final java.util.Set<String> CASCADING = java.util.Set.of("applications", "deployments", "users",
            "notification_channels", "databases");
    private static final java.util.regex.Pattern WRITE = java.util.regex.Pattern.compile(
            "^\\s*(?:(INSERT)(?:\\s+OR\\s+\\w+)?\\s+INTO|(UPDATE)(?:\\s+OR\\s+\\w+)?|(DELETE)\\s+FROM)\\s+(\\w+)",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    /** Reads one row into a value. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    public Database(DataSource readers, Connection writer) {
        this.readers = readers;
        this.writer = writer;
    }

    /** Runs {@code work} in the (joined or new) write transaction. */
    public <T> T transaction(Function<Database, T> work) {
        if (inTransaction.get()) {
            return work.apply(this);
        }
        writeLock.lock();
        try {
            // The writer stays in auto-commit mode between transactions so it holds no lock while idle
            // (other processes, such as a CLI backup beside a running server, can still write).
            execute("BEGIN IMMEDIATE");
            inTransaction.set(true);
            try {
                T result = work.apply(this);
                execute("COMMIT");
                for (String table : written.get()) {
                    tableCommits.computeIfAbsent(table, ignored -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
                }
                commits.incrementAndGet();
                return result;
            } catch (RuntimeException | Error e) {
                rollbackQuietly(e);
                throw e;
            }
        } finally {
            written.get().clear();
            inTransaction.set(false);
            writeLock.unlock();
        }
    }

    /** How many write transactions this database has committed. */
    public long commits() {
        return commits.get();
    }

    /**
     * How many committed write transactions may have changed any of {@code tables}: those that
     * wrote one of them plus those counted under {@link #EVERY_TABLE}. Grows whenever what the
     * tables hold may have changed, and never otherwise.
     */
    public long commits(java.util.Collection<String> tables) {
        long sum = counted(EVERY_TABLE);
        for (String table : tables) {
            sum += counted(table);
        }
        return sum;
    }

    private long counted(String table) {
        java.util.concurrent.atomic.AtomicLong count = tableCommits.get(table);
        return count == null ? 0 : count.get();
    }

    /** Notes the table a write statement changes, for {@link #commits(java.util.Collection)}. */
    private void noteWrite(String sql) {
        java.util.regex.Matcher matcher = WRITE.matcher(sql);
        if (!matcher.find()) {
            written.get().add(EVERY_TABLE);
            return;
        }
        String table = matcher.group(4).toLowerCase(java.util.Locale.ROOT);
        written.get().add(matcher.group(3) != null && CASCADING.contains(table) ? EVERY_TABLE : table);
    }

    private void execute(String sql) {
        try (var statement = writer.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private void rollbackQuietly(Throwable cause) {
        try (var statement = writer.createStatement()) {
            statement.execute("ROLLBACK");
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }

    /** Executes a write statement (in the current transaction, or a transaction of its own); returns changed rows. */
    public int update(String sql, Object... parameters) {
        return transaction(database -> {
            noteWrite(sql);
            PreparedStatement statement = null;
            boolean failed = true;
            try {
                statement = keepStatements ? statements.acquire(writer, sql) : writer.prepareStatement(sql);
                bind(statement, parameters);
                int changed = statement.executeUpdate();
                failed = false;
                return changed;
            } catch (SQLException e) {
                throw failure(e);
            } finally {
                if (statement != null) {
                    release(writer, sql, statement, failed);
                }
            }
        });
    }

    /** Executes an update that must change a row; NOT_FOUND naming {@code kind} and {@code id} when none matched. */
    public void updateExisting(String kind, String id, String sql, Object... parameters) {
        if (update(sql, parameters) == 0) {
            throw PloyerException.notFound(kind, id);
        }
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... parameters) {
        if (inTransaction.get()) {
            return query(writer, sql, mapper, parameters);
        }
        try (Connection connection = readers.getConnection()) {
            return query(connection, sql, mapper, parameters);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... parameters) {
        List<T> rows = query(sql, mapper, parameters);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public long count(String sql, Object... parameters) {
        return queryOne(sql, row -> row.getLong(1), parameters).orElse(0L);
    }

    /** Runs a statement on a reader connection outside any transaction (VACUUM INTO, PRAGMA …). */
    public void executeOnReader(String sql) {
        try (Connection connection = readers.getConnection(); var statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private <T> List<T> query(Connection connection, String sql, RowMapper<T> mapper, Object... parameters) {
        PreparedStatement statement = null;
        boolean failed = true;
        try {
            statement = keepStatements ? statements.acquire(connection, sql) : connection.prepareStatement(sql);
            bind(statement, parameters);
            // Closing the rows resets the statement (its read snapshot ends); the statement stays prepared.
            try (ResultSet rows = statement.executeQuery()) {
                List<T> result = new ArrayList<>();
                while (rows.next()) {
                    result.add(mapper.map(rows));
                }
                failed = false;
                return result;
            }
        } catch (SQLException e) {
            throw failure(e);
        } finally {
            if (statement != null) {
                release(connection, sql, statement, failed);
            }
        }
    }

    private void release(Connection connection, String sql, PreparedStatement statement, boolean failed) {
        if (keepStatements) {
            statements.release(connection, sql, statement, failed);
        } else {
            try {
                statement.close();
            } catch (SQLException e) {
                // closing anyway
            }
        }
    }

    /** Closes the prepared statements kept (before the connections close). */
    public void closeStatements() {
        statements.close();
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object value = parameters[i];
            int index = i + 1;
            if (value == null) {
                statement.setNull(index, Types.NULL);
            } else if (value instanceof Instant instant) {
                statement.setLong(index, instant.toEpochMilli());
            } else if (value instanceof Boolean flag) {
                statement.setInt(index, flag ? 1 : 0);
            } else if (value instanceof Enum<?> constant) {
                statement.setString(index, constant.name());
            } else {
                statement.setObject(index, value);
            }
        }
    }

    /** Turns a driver failure into Ployer's error, naming the field of a broken unique rule; never echoes values. */
    static PloyerException failure(SQLException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("UNIQUE constraint failed: ")) {
            String columns = message.substring(message.indexOf("UNIQUE constraint failed: ") + 26).replaceAll("\\)$", "").strip();
            String field = UNIQUE_FIELDS.getOrDefault(columns, columns);
            return new PloyerException(StandardErrorCode.CONFLICT, field, field + ": already exists", null);
        }
        if (message.contains("FOREIGN KEY constraint failed")) {
            return new PloyerException(StandardErrorCode.NOT_FOUND, "a referenced entity does not exist", e);
        }
        return StorageFaults.of(e);
    }

    /** Reads a nullable epoch-millisecond column. */
    public static Instant instant(ResultSet row, String column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : Instant.ofEpochMilli(value);
    }

    /** Reads a nullable integer column. */
    public static Integer integer(ResultSet row, String column) throws SQLException {
        int value = row.getInt(column);
        return row.wasNull() ? null : value;
    }

    /** Reads a nullable long column. */
    public static Long longValue(ResultSet row, String column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }

    /** Reads a nullable double column. */
    public static Double doubleValue(ResultSet row, String column) throws SQLException {
        double value = row.getDouble(column);
        return row.wasNull() ? null : value;
    }

    /** Reads a 0/1 column. */
    public static boolean bool(ResultSet row, String column) throws SQLException {
        return row.getInt(column) != 0;
    }
}
