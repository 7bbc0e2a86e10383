package io.ployer.engine.database;

/** {@link DatabaseBackupIT#requireImage} for tests of other packages. */
public final class DatabaseBackupITAccess {
    private DatabaseBackupITAccess() {
    }

    public static void requireImage(String image) throws Exception {
        DatabaseBackupIT.requireImage(image);
    }
}
