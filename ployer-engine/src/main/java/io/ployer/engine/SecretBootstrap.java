package io.ployer.engine;

import io.ployer.engine.secret.KeyCheck;
import io.ployer.engine.secret.SecretCipher;
import io.ployer.engine.secret.SecretKeyRing;
import io.ployer.spi.storage.Storage;
import java.util.Optional;
import java.util.stream.Stream;

/** Loads the secret keys at start and checks them against the database before anything else runs. */
final class SecretBootstrap {
    static final String KEY_CHECK_SETTING = "secrets.key_check";
    static final String KEY_FILE = "secret.key";

    /** The keys in force. */
    record Secrets(SecretKeyRing keyRing, SecretCipher cipher) {
    }

    private SecretBootstrap() {
    }

    static Secrets open(EngineConfig config, Storage storage) {
        SecretKeyRing ring = config.secretSpec().map(SecretKeyRing::parse)
                .orElseGet(() -> SecretKeyRing.loadOrCreateKeyFile(config.dataDirectory().resolve(KEY_FILE)));
        SecretCipher cipher = new SecretCipher(ring);
        Optional<String> stored = storage.settings().get(KEY_CHECK_SETTING);
        boolean rewrite = KeyCheck.verify(cipher, stored, hasEncryptedValues(storage));
        if (stored.isEmpty() || rewrite) {
            storage.inTransaction(tx -> {
                tx.settings().put(KEY_CHECK_SETTING, KeyCheck.create(cipher));
                return null;
            });
        }
        return new Secrets(ring, cipher);
    }

    /** Every stored TOTP secret; none when the storage plugin keeps no second factors. */
    static java.util.Collection<String> totpSecrets(Storage storage) {
        try {
            return storage.totp().listSecrets().values();
        } catch (UnsupportedOperationException noSecondFactors) {
            return java.util.List.of();
        }
    }

    static boolean hasEncryptedValues(Storage storage) {
        return Stream.of(
                storage.envVars().listAll().stream().map(envVar -> envVar.value()),
                storage.deployKeys().listAll().stream().map(key -> key.privateKey()),
                storage.webhooks().listAll().stream().map(webhook -> webhook.secret()),
                storage.servers().list().stream().map(server -> server.sshPrivateKey()),
                storage.gitCredentials().listAll().values().stream(),
                totpSecrets(storage).stream(),
                io.ployer.engine.registry.DefaultRegistryService.storedOrNone(storage).stream().map(registry -> registry.password()),
                io.ployer.engine.application.ApplicationFiles.storedOrNone(storage).stream().map(file -> file.content()))
                .flatMap(values -> values)
                .anyMatch(SecretCipher::isEncrypted);
    }
}
