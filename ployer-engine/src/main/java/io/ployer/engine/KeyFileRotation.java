package io.ployer.engine;

import io.ployer.api.Ployer;
import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.engine.secret.SecretKeyRing;
import io.ployer.seam.ServerSeam;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/**
 * A key rotation an operator runs with the server stopped ({@code ployer rotate-key}). With a key
 * file: a new random key goes in front of the old ones, every stored secret is re-encrypted under it
 * by an engine opened on the data directory, and then the key file keeps the new key alone, so the old
 * key opens nothing any more. With the keys in {@code PLOYER_SECRET}, which Ployer cannot rewrite, the
 * operator puts the new key first there; the rotation re-encrypts and names the keys to remove.
 */
final class KeyFileRotation {
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyFileRotation() {
    }

    /** Holds the data directory throughout (maintenance engines do not claim it): a running server refuses the rotation. */
    static ServerSeam.KeyRotation rotate(Path dataDirectory, String configuredKeys, Supplier<Ployer> open) {
        DataDirectoryLock lock = DataDirectoryLock.acquire(dataDirectory);
        try {
            return configuredKeys != null && !configuredKeys.isBlank() ? configured(configuredKeys, open)
                    : keyFile(dataDirectory.resolve(SecretBootstrap.KEY_FILE), open);
        } finally {
            try {
                lock.close();
            } catch (IOException e) {
                org.slf4j.LoggerFactory.getLogger(KeyFileRotation.class).warn("could not release {}: {}", dataDirectory,
                        e.getMessage());
            }
        }
    }

    private static ServerSeam.KeyRotation configured(String configuredKeys, Supplier<Ployer> open) {
        SecretKeyRing ring = SecretKeyRing.parse(configuredKeys);
        if (ring.keyIds().size() < 2) {
            throw new PloyerException(StandardErrorCode.CONFIGURATION, "PLOYER_SECRET holds one key ('"
                    + ring.primaryKeyId() + "'): put a new key in front of it (new-id:<base64 of 32 random bytes>,"
                    + ring.primaryKeyId() + ":<the current key>) and run rotate-key again; it re-encrypts every secret"
                    + " under the first key, then remove the old one from PLOYER_SECRET");
        }
        int reencrypted;
        try (Ployer ployer = open.get()) {
            reencrypted = ployer.administration().reencryptSecrets();
        }
        return new ServerSeam.KeyRotation(ring.primaryKeyId(), ring.keyIds().subList(1, ring.keyIds().size()), reencrypted, false);
    }

    private static ServerSeam.KeyRotation keyFile(Path file, Supplier<Ployer> open) {
        if (!Files.exists(file)) {
            throw new PloyerException(StandardErrorCode.CONFIGURATION, "there is no key file at " + file
                    + ", so there is nothing to rotate (a data directory gets one at its first start; set --data-dir"
                    + " or PLOYER_DATA_DIR to the server's)");
        }
        SecretKeyRing old = SecretKeyRing.loadOrCreateKeyFile(file);
        String newId = freshId(old.keyIds());
        byte[] material = new byte[32];
        RANDOM.nextBytes(material);
        String newKey = newId + ":" + Base64.getEncoder().encodeToString(material);
        try {
            // The new key first (it encrypts), the old ones after it (they still decrypt until the end).
            write(file, newKey + "," + Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (IOException e) {
            throw new PloyerException(StandardErrorCode.CONFIGURATION, "could not update the key file " + file + ": "
                    + e.getMessage(), e);
        }
        int reencrypted;
        try (Ployer ployer = open.get()) {
            reencrypted = ployer.administration().reencryptSecrets();
        }
        try {
            write(file, newKey);
        } catch (IOException e) {
            throw new PloyerException(StandardErrorCode.CONFIGURATION, "every secret is under the new key '" + newId
                    + "', but the old keys could not be removed from " + file + ": " + e.getMessage(), e);
        }
        return new ServerSeam.KeyRotation(newId, old.keyIds(), reencrypted, true);
    }

    private static String freshId(List<String> taken) {
        String base = "k" + Long.toString(System.currentTimeMillis() / 1000, 36);
        String id = base;
        for (int i = 2; taken.contains(id); i++) {
            id = base + "-" + i;
        }
        return id;
    }

    /** Replaces the key file atomically with an owner-only file holding {@code keys}, checked to parse first. */
    private static void write(Path file, String keys) throws IOException {
        SecretKeyRing.parse(keys);
        Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), ".secret.key-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temporary, keys + "\n", StandardCharsets.US_ASCII);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
