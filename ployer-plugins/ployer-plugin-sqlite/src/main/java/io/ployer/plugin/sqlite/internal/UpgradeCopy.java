package io.ployer.plugin.sqlite.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before a newer Ployer migrates a database an older one wrote, a consistent copy of it as it was
 * ({@code VACUUM INTO}, safe while the file is in WAL mode) goes to {@code upgrade-backups/} beside it,
 * owner-only, and the log says so: going back to the older version is stopping Ployer and putting the
 * copy back as the database file (the key file is not changed by an upgrade).
 */
final class UpgradeCopy {
    private static final Logger LOG = LoggerFactory.getLogger(UpgradeCopy.class);
    static final String DIRECTORY = "upgrade-backups";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private UpgradeCopy() {
    }

    /**
     * The migrations an upgrade of this history would apply: the bundled versions it lacks, when it
     * holds some, all successful and all known to this build (anything else is not an upgrade: a new
     * file, a failed migration, or a newer database Flyway refuses).
     */
    static List<String> pending(List<String> applied, boolean allSucceeded, List<String> bundled) {
        if (applied.isEmpty() || !allSucceeded || !bundled.containsAll(applied)) {
            return List.of();
        }
        return bundled.stream().filter(version -> !applied.contains(version)).toList();
    }

    /** Writes the copy and logs what happens next; the copy's path. */
    static Path write(Connection connection, Path database, List<String> applied, List<String> pending, Clock clock)
            throws SQLException, IOException {
        String from = applied.get(applied.size() - 1);
        String to = pending.get(pending.size() - 1);
        Path directory = database.toAbsolutePath().resolveSibling(DIRECTORY);
        Files.createDirectories(directory);
        Path copy = directory.resolve(Optional.ofNullable(database.getFileName()).map(Path::toString).orElse("ployer.db")
                .replaceAll("\\.db$", "") + "-schema-V" + from + "-" + STAMP.format(clock.instant()) + ".db");
        try (Statement statement = connection.createStatement()) {
            statement.execute("VACUUM INTO '" + copy.toString().replace("'", "''") + "'");
        }
        SqliteStorage.ownerOnly(copy);
        LOG.warn("Upgrading the database {} from schema V{} to V{} ({} migration(s): {}). A copy of it as it was is at {}; "
                + "to go back to the previous Ployer version, stop Ployer and put that copy back as {}.",
                database, from, to, pending.size(), String.join(", ", pending), copy, database.getFileName());
        return copy;
    }
}
