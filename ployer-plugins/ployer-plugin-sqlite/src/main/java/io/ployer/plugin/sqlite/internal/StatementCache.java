package io.ployer.plugin.sqlite.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prepared statements kept per physical SQLite connection, so a read or write does not compile its
 * SQL again each time (SQLite's {@code sqlite3_prepare_v2} on every call was a large part of a
 * computed read). Statements are prepared on the driver's own connection, not on the pool's proxy
 * (which closes every statement when the connection goes back to the pool). A connection is used by
 * one thread at a time (the pool hands it over, the writer is used under the write lock), so each
 * connection's statements need no lock of their own. Statements of a connection the pool retired
 * (closed) are dropped when another connection's statements are first made. At most
 * {@value #PER_CONNECTION} statements per connection, the least recently used closed first.
 */
final class StatementCache {
    static final int PER_CONNECTION = 128;
    private final Map<Connection, Map<String, PreparedStatement>> byConnection = new ConcurrentHashMap<>();
    /** Statements being executed now (a row mapper may run the same SQL again on the same connection). */
    private final java.util.Set<PreparedStatement> busy = java.util.Collections.newSetFromMap(new ConcurrentHashMap<>());

    /**
     * A prepared statement for {@code sql} on {@code connection}: the kept one, or (while that one is
     * being executed further up the same thread's stack) a fresh one. Hand it back with {@link #release}.
     */
    PreparedStatement acquire(Connection connection, String sql) throws SQLException {
        PreparedStatement statement = prepare(connection, sql);
        if (!busy.add(statement)) {
            return connection.prepareStatement(sql);
        }
        return statement;
    }

    /** Ends a use begun with {@link #acquire}; {@code failed}: the statement is closed and prepared afresh next time. */
    void release(Connection connection, String sql, PreparedStatement statement, boolean failed) {
        if (busy.remove(statement)) {
            if (failed) {
                discard(connection, sql);
            }
        } else {
            closeQuietly(statement);
        }
    }

    private PreparedStatement prepare(Connection connection, String sql) throws SQLException {
        Connection physical = connection.isWrapperFor(org.sqlite.SQLiteConnection.class)
                ? connection.unwrap(org.sqlite.SQLiteConnection.class) : connection;
        Map<String, PreparedStatement> statements = byConnection.get(physical);
        if (statements == null) {
            dropClosedConnections();
            statements = new LinkedHashMap<>(32, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
                    if (size() > PER_CONNECTION) {
                        closeQuietly(eldest.getValue());
                        return true;
                    }
                    return false;
                }
            };
            byConnection.put(physical, statements);
        }
        PreparedStatement statement = statements.get(sql);
        if (statement == null || statement.isClosed()) {
            statement = physical.prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    /** Closes and forgets a statement whose use failed (it is prepared afresh next time). */
    private void discard(Connection connection, String sql) {
        try {
            Connection physical = connection.isWrapperFor(org.sqlite.SQLiteConnection.class)
                    ? connection.unwrap(org.sqlite.SQLiteConnection.class) : connection;
            Map<String, PreparedStatement> statements = byConnection.get(physical);
            if (statements != null) {
                PreparedStatement statement = statements.remove(sql);
                if (statement != null) {
                    closeQuietly(statement);
                }
            }
        } catch (SQLException e) {
            // the connection is gone; its statements went with it
        }
    }

    private void dropClosedConnections() {
        for (Iterator<Map.Entry<Connection, Map<String, PreparedStatement>>> entries = byConnection.entrySet().iterator();
             entries.hasNext(); ) {
            Map.Entry<Connection, Map<String, PreparedStatement>> entry = entries.next();
            boolean closed;
            try {
                closed = entry.getKey().isClosed();
            } catch (SQLException e) {
                closed = true;
            }
            if (closed) {
                entries.remove();
            }
        }
    }

    /** Closes every statement (before the connections close). */
    void close() {
        byConnection.values().forEach(statements -> {
            synchronized (statements) {
                statements.values().forEach(StatementCache::closeQuietly);
                statements.clear();
            }
        });
        byConnection.clear();
    }

    private static void closeQuietly(PreparedStatement statement) {
        try {
            statement.close();
        } catch (SQLException e) {
            // closing anyway
        }
    }
}
