package io.ployer.plugin.sqlite.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** SQLite result codes become honest answers: what happened, that nothing was saved, what to do. */
class StorageFaultsTest {
    @Test
    void aFullDiskSaysSoAndWhatToDo() {
        PloyerException full = Database.failure(new SQLException("[SQLITE_FULL] Insertion failed because database is full "
                + "(database or disk is full)", null, 13));
        assertThat(full.code()).isEqualTo(StandardErrorCode.STORAGE_FULL);
        assertThat(full.getMessage()).contains("disk").contains("full").contains("nothing was saved").contains("free space")
                .doesNotContain("SQLite error").doesNotContain("SQLITE");
    }

    @Test
    void anExtendedIoErrorCodeIsReadByItsPrimaryCode() {
        PloyerException ioError = Database.failure(new SQLException("[SQLITE_IOERR_WRITE] disk I/O error", null, 778));
        assertThat(ioError.code()).isEqualTo(StandardErrorCode.STORAGE_UNAVAILABLE);
        assertThat(ioError.getMessage()).contains("disk").contains("nothing was saved");
    }

    @Test
    void readOnlyAndLockedDatabasesAreUnavailableNotFailed() {
        PloyerException readOnly = Database.failure(new SQLException("[SQLITE_READONLY] attempt to write a readonly database",
                null, 8));
        assertThat(readOnly.code()).isEqualTo(StandardErrorCode.STORAGE_UNAVAILABLE);
        assertThat(readOnly.getMessage()).contains("read-only").contains("writable");
        PloyerException locked = Database.failure(new SQLException("[SQLITE_BUSY] The database file is locked (database is locked)",
                null, 5));
        assertThat(locked.code()).isEqualTo(StandardErrorCode.STORAGE_UNAVAILABLE);
        assertThat(locked.getMessage()).contains("locked").contains("try again");
    }

    @Test
    void uniqueRulesStillNameTheirField() {
        PloyerException conflict = Database.failure(new SQLException(
                "[SQLITE_CONSTRAINT_UNIQUE] A UNIQUE constraint failed (UNIQUE constraint failed: applications.name)", null, 2067));
        assertThat(conflict.code()).isEqualTo(StandardErrorCode.CONFLICT);
        assertThat(conflict.field()).contains("name");
    }
}
