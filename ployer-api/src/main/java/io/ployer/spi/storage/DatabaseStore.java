package io.ployer.spi.storage;

import io.ployer.api.database.Backup;
import io.ployer.api.database.BackupDestination;
import io.ployer.api.database.Database;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Databases Ployer runs, backup destinations, backups and application links. Secrets are kept as the
 * engine's ciphertexts; the store never sees them in clear.
 */
public interface DatabaseStore {

    /**
     * A database with what only the engine sees.
     *
     * @param database            the database
     * @param passwordCiphertext  its generated password, encrypted
     * @param containerId         its container, or {@code null} while it has none
     */
    record StoredDatabase(Database database, String passwordCiphertext, String containerId) {
        public StoredDatabase {
            Objects.requireNonNull(database, "database");
            Objects.requireNonNull(passwordCiphertext, "passwordCiphertext");
        }
    }

    /**
     * A destination with its encrypted secret key.
     *
     * @param destination          the destination
     * @param secretKeyCiphertext  the S3 secret key, encrypted, or {@code null}
     */
    record StoredDestination(BackupDestination destination, String secretKeyCiphertext) {
        public StoredDestination {
            Objects.requireNonNull(destination, "destination");
        }
    }

    /** An application's link to a database. */
    record StoredLink(String applicationId, String databaseId, String envPrefix, Instant createdAt) {
        public StoredLink {
            Objects.requireNonNull(applicationId, "applicationId");
            Objects.requireNonNull(databaseId, "databaseId");
            Objects.requireNonNull(envPrefix, "envPrefix");
            Objects.requireNonNull(createdAt, "createdAt");
        }
    }

    /** CONFLICT naming {@code name} when a database has it already. */
    void insert(StoredDatabase database);

    void update(StoredDatabase database);

    Optional<StoredDatabase> findById(String id);

    /** Ordered by name. */
    List<StoredDatabase> listAll();

    /** Deletes the database with its backups' records and links. */
    boolean delete(String id);

    /** CONFLICT naming {@code name} when a destination has it already. */
    void insertDestination(StoredDestination destination);

    Optional<StoredDestination> findDestination(String id);

    List<StoredDestination> listDestinations();

    boolean deleteDestination(String id);

    /** Replaces a destination's encrypted secret key (for key rotation). */
    default void updateDestinationSecret(String id, String secretKeyCiphertext) {
        throw new UnsupportedOperationException("this storage cannot change a destination's secret");
    }

    void insertBackup(Backup backup);

    void updateBackup(Backup backup);

    Optional<Backup> findBackup(String id);

    /** Newest first. */
    List<Backup> listBackups(String databaseId);

    /** Records a platform backup (Ployer's own archive; {@code databaseId} is {@link Backup#PLATFORM}). */
    default void insertPlatformBackup(Backup backup) {
        throw new UnsupportedOperationException("this storage keeps no platform backups");
    }

    default void updatePlatformBackup(Backup backup) {
        throw new UnsupportedOperationException("this storage keeps no platform backups");
    }

    /** Platform backups, newest first. */
    default List<Backup> listPlatformBackups() {
        throw new UnsupportedOperationException("this storage keeps no platform backups");
    }

    /** CONFLICT when the application is linked to the database already. */
    void insertLink(StoredLink link);

    List<StoredLink> listLinks(String applicationId);

    List<StoredLink> listLinksOfDatabase(String databaseId);

    boolean deleteLink(String applicationId, String databaseId);
}
