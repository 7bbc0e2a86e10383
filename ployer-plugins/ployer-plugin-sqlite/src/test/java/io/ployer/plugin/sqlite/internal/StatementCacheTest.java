package io.ployer.plugin.sqlite.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ployer.api.PloyerException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kept prepared statements: a read through a kept statement sees what was committed since its last
 * use (it holds no read snapshot between uses), the same SQL run again while its rows are being read
 * works, and a failed statement is prepared afresh.
 */
class StatementCacheTest {
    @TempDir
    Path directory;

    @Test
    void keptStatementsSeeNewCommitsAndNestAndRecover() throws Exception {
        String url = "jdbc:sqlite:" + directory.resolve("cache.db");
        try (Connection writer = DriverManager.getConnection(url)) {
            try (var statement = writer.createStatement()) {
                statement.execute("PRAGMA journal_mode=WAL");
                statement.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
            }
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url);
            config.setMaximumPoolSize(1);
            try (HikariDataSource readers = new HikariDataSource(config)) {
                Database database = new Database(readers, writer);
                database.update("INSERT INTO t (id, v) VALUES (?, ?)", 1, "a");
                String read = "SELECT v FROM t WHERE id = ?";
                assertThat(database.query(read, row -> row.getString(1), 1)).containsExactly("a");
                // Another connection (the writer) commits; the reader's kept statement sees it.
                database.update("UPDATE t SET v = ? WHERE id = ?", "b", 1);
                assertThat(database.query(read, row -> row.getString(1), 1)).containsExactly("b");
                database.update("INSERT INTO t (id, v) VALUES (?, ?)", 2, "c");
                assertThat(database.count("SELECT COUNT(*) FROM t")).isEqualTo(2);

                // The same SQL again while its rows are read, on the same connection (in a transaction: the writer).
                String all = "SELECT id FROM t ORDER BY id";
                List<List<Integer>> nested = database.transaction(db -> db.query(all, row -> db.query(all, inner -> inner.getInt(1))));
                assertThat(nested).containsExactly(List.of(1, 2), List.of(1, 2));

                // A failing write (unique id) leaves the next use of that SQL working.
                String insert = "INSERT INTO t (id, v) VALUES (?, ?)";
                assertThatThrownBy(() -> database.update(insert, 1, "dup")).isInstanceOf(PloyerException.class);
                database.update(insert, 3, "d");
                assertThat(database.query("SELECT v FROM t ORDER BY id", row -> row.getString(1))).containsExactly("b", "c", "d");
                database.closeStatements();
                assertThat(database.query(read, row -> row.getString(1), 3)).containsExactly("d");
            }
        }
    }
}
