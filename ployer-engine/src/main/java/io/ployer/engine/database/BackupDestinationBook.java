package io.ployer.engine.database;

import io.ployer.api.PloyerException;
import io.ployer.api.database.BackupDestination;
import io.ployer.api.database.BackupDestinationSpec;
import io.ployer.api.database.BackupPolicy;
import io.ployer.engine.secret.SecretCipher;
import io.ployer.spi.storage.DatabaseStore.StoredDatabase;
import io.ployer.spi.storage.DatabaseStore.StoredDestination;
import io.ployer.spi.storage.Storage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The backup destinations: validated with their secret key encrypted, and kept while a backup policy uses them. */
final class BackupDestinationBook {
    private final Storage storage;
    private final SecretCipher cipher;
    private final Supplier<Instant> clock;

    BackupDestinationBook(Storage storage, SecretCipher cipher, Supplier<Instant> clock) {
        this.storage = storage;
        this.cipher = cipher;
        this.clock = clock;
    }

    /** The destination a request names in {@code field}; a client's mistake when it is missing or unknown. */
    StoredDestination find(String id, String field) {
        if (id == null || id.isBlank()) {
            throw PloyerException.invalid(field, field + " is required");
        }
        return storage.databases().findDestination(id)
                .orElseThrow(() -> PloyerException.invalid(field, "no backup destination has the id " + id));
    }

    BackupDestination create(BackupDestinationSpec spec) {
        StoredDestination destination = BackupDestinations.validated(spec, cipher, clock.get());
        storage.databases().insertDestination(destination);
        return destination.destination();
    }

    List<BackupDestination> list() {
        return storage.databases().listDestinations().stream().map(StoredDestination::destination).toList();
    }

    /** Deletes a destination no policy uses (the platform's, {@code platformPolicy}, or a database's). */
    void delete(String id, Optional<BackupPolicy> platformPolicy) {
        if (platformPolicy.filter(policy -> policy.destinationId().equals(id)).isPresent()) {
            throw PloyerException.conflict("id", "platform backups go to this destination");
        }
        for (StoredDatabase stored : storage.databases().listAll()) {
            BackupPolicy policy = stored.database().backup();
            if (policy != null && policy.destinationId().equals(id)) {
                throw PloyerException.conflict("id", "database " + stored.database().name() + " backs up to this destination");
            }
        }
        if (!storage.databases().deleteDestination(id)) {
            throw PloyerException.notFound("backup destination", id);
        }
    }
}
