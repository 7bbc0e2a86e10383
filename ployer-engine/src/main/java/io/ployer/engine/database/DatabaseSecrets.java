package io.ployer.engine.database;

import io.ployer.engine.secret.SecretCipher;
import io.ployer.spi.storage.DatabaseStore;
import io.ployer.spi.storage.DatabaseStore.StoredDatabase;
import io.ployer.spi.storage.DatabaseStore.StoredDestination;
import io.ployer.spi.storage.Storage;
import java.util.List;

/** The secrets databases keep encrypted, and their re-encryption under the primary key at a key rotation. */
public final class DatabaseSecrets {
    /** Field of a database's generated password (bound to the database id). */
    static final String PASSWORD_FIELD = "password";
    /** Field of an S3 destination's secret key (bound to the destination id). */
    static final String SECRET_KEY_FIELD = "secret_key";

    private DatabaseSecrets() {
    }

    /**
     * Rewrites every database password and backup destination secret not under the primary key;
     * returns how many. None when the storage plugin keeps no databases.
     */
    public static int reencrypt(Storage tx, SecretCipher cipher) {
        DatabaseStore store;
        List<StoredDatabase> databases;
        try {
            store = tx.databases();
            databases = store.listAll();
        } catch (UnsupportedOperationException noDatabases) {
            return 0;
        }
        int rewritten = 0;
        for (StoredDatabase stored : databases) {
            if (cipher.needsReencryption(stored.passwordCiphertext())) {
                store.update(new StoredDatabase(stored.database(), cipher.reencrypt(stored.database().id(), PASSWORD_FIELD,
                        stored.passwordCiphertext()), stored.containerId()));
                rewritten++;
            }
        }
        for (StoredDestination stored : store.listDestinations()) {
            if (stored.secretKeyCiphertext() != null && cipher.needsReencryption(stored.secretKeyCiphertext())) {
                String reencrypted = cipher.reencrypt(stored.destination().id(), SECRET_KEY_FIELD, stored.secretKeyCiphertext());
                store.updateDestinationSecret(stored.destination().id(), reencrypted);
                rewritten++;
            }
        }
        return rewritten;
    }
}
