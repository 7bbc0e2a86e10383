package io.ployer.engine.database;

import io.ployer.api.PloyerException;
import io.ployer.api.database.BackupDestination;
import io.ployer.api.database.BackupDestinationSpec;
import io.ployer.engine.secret.SecretCipher;
import io.ployer.spi.storage.DatabaseStore.StoredDestination;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

/** Backup destinations: a spec checked into a stored destination (its S3 secret key encrypted), and its target. */
final class BackupDestinations {
    private BackupDestinations() {
    }

    /** A new destination from {@code spec}, each problem a 400 naming its field. */
    static StoredDestination validated(BackupDestinationSpec spec, SecretCipher cipher, Instant now) {
        if (spec == null || spec.name() == null || !DatabaseRules.NAME.matcher(spec.name()).matches()) {
            throw PloyerException.invalid("name", "the name must be 1 to 63 lower-case letters, digits or dashes");
        }
        if (spec.kind() == null) {
            throw PloyerException.invalid("kind", "the kind must be local or s3");
        }
        String id = UUID.randomUUID().toString();
        String secret = null;
        if (spec.kind() == BackupDestination.Kind.LOCAL) {
            if (spec.path() == null || !spec.path().startsWith("/")) {
                throw PloyerException.invalid("path", "a local destination needs an absolute directory path");
            }
        } else {
            if (spec.bucket() == null || !spec.bucket().matches("[a-z0-9][a-z0-9.-]{1,62}")) {
                throw PloyerException.invalid("bucket", "the bucket must be an S3 bucket name");
            }
            if (spec.endpoint() != null && !spec.endpoint().matches("https?://[^\\s/]+(/.*)?")) {
                throw PloyerException.invalid("endpoint", "the endpoint must be an http or https URL");
            }
            if (spec.accessKey() == null || spec.accessKey().isBlank() || spec.secretKey() == null || spec.secretKey().isBlank()) {
                throw PloyerException.invalid("access_key", "an S3 destination needs access_key and secret_key");
            }
            secret = cipher.encrypt(id, DatabaseSecrets.SECRET_KEY_FIELD, spec.secretKey());
        }
        BackupDestination destination = new BackupDestination(id, spec.name(), spec.kind(), spec.path(), spec.endpoint(),
                spec.bucket(), spec.region(), Boolean.TRUE.equals(spec.pathStyle()), spec.accessKey(), now);
        return new StoredDestination(destination, secret);
    }

    /** Where the destination's files go (the S3 secret key decrypted for the client only). */
    static BackupTarget target(StoredDestination stored, SecretCipher cipher) {
        BackupDestination destination = stored.destination();
        return switch (destination.kind()) {
            case LOCAL -> new LocalDirectoryTarget(Path.of(destination.path()));
            case S3 -> new S3Target(destination.endpoint(), destination.region(), destination.bucket(), destination.pathStyle(),
                    destination.accessKey(), cipher.decrypt(destination.id(), DatabaseSecrets.SECRET_KEY_FIELD,
                    stored.secretKeyCiphertext()), destination.path());
        };
    }
}
