package io.ployer.plugin.sqlite.internal;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import java.sql.SQLException;

/**
 * SQLite's result codes as answers a person can act on: a full disk, a read-only or locked database,
 * an unreadable file. Each says that nothing was saved and what to do; the driver's own text stays
 * in the exception's cause (for the server log).
 */
final class StorageFaults {
    static final int SQLITE_BUSY = 5;
    static final int SQLITE_LOCKED = 6;
    static final int SQLITE_READONLY = 8;
    static final int SQLITE_IOERR = 10;
    static final int SQLITE_CORRUPT = 11;
    static final int SQLITE_FULL = 13;
    static final int SQLITE_CANTOPEN = 14;
    static final int SQLITE_NOTADB = 26;

    private StorageFaults() {
    }

    static PloyerException of(SQLException e) {
        String message = String.valueOf(e.getMessage());
        // Extended result codes carry the primary one in their low byte (SQLITE_IOERR_WRITE = 778 -> 10).
        int primary = e.getErrorCode() & 0xff;
        if (primary == SQLITE_FULL || message.contains("SQLITE_FULL") || message.contains("database or disk is full")) {
            return new PloyerException(StandardErrorCode.STORAGE_FULL, "the disk that holds Ployer's database is full, so "
                    + "nothing was saved; free space on it (or move the data directory to a larger disk) and try again", e);
        }
        if (primary == SQLITE_READONLY || message.contains("SQLITE_READONLY")) {
            return new PloyerException(StandardErrorCode.STORAGE_UNAVAILABLE, "Ployer's database is read-only (a read-only "
                    + "disk or file permissions), so nothing was saved; make the data directory writable for Ployer and try again", e);
        }
        if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED || message.contains("SQLITE_BUSY")
                || message.contains("database is locked")) {
            return new PloyerException(StandardErrorCode.STORAGE_UNAVAILABLE, "Ployer's database is locked by another "
                    + "process, so nothing was saved; try again in a moment", e);
        }
        if (primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN) {
            return new PloyerException(StandardErrorCode.STORAGE_UNAVAILABLE, "Ployer could not read or write its database "
                    + "(a disk error), so nothing was saved; check the disk that holds the data directory and try again", e);
        }
        if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
            return new PloyerException(StandardErrorCode.STORAGE_FAILURE, "Ployer's database file is damaged; restore it "
                    + "from a backup (ployer restore)", e);
        }
        return new PloyerException(StandardErrorCode.STORAGE_FAILURE, "Ployer's database failed (SQLite error "
                + e.getErrorCode() + "), so nothing was saved; the details are in the server log", e);
    }
}
