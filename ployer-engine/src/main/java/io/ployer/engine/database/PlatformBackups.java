package io.ployer.engine.database;

import io.ployer.api.PloyerException;
import io.ployer.api.database.Backup;
import io.ployer.api.database.BackupPolicy;
import io.ployer.spi.storage.DatabaseStore;
import io.ployer.spi.storage.DatabaseStore.StoredDestination;
import io.ployer.spi.storage.Storage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ployer's own archive (its database, its key file, a manifest: {@code ployer backup}) taken to the
 * backup destinations on a cron schedule or on demand, recorded whatever the outcome, with the newest
 * {@code keep} kept at the policy's destination. The policy lives in the settings.
 */
final class PlatformBackups {
    private static final Logger LOG = LoggerFactory.getLogger(PlatformBackups.class);
    static final String POLICY_SETTING = "platform-backup.policy";
    private static final String PREFIX = "ployer-platform/";

    private final Storage storage;
    private final DefaultDatabaseService service;
    private final Clock clock;
    private final Path temporaryDirectory;
    private volatile Consumer<Path> archiveWriter;

    PlatformBackups(Storage storage, DefaultDatabaseService service, Clock clock, Path temporaryDirectory) {
        this.storage = storage;
        this.service = service;
        this.clock = clock;
        this.temporaryDirectory = temporaryDirectory;
    }

    void setArchiveWriter(Consumer<Path> writer) {
        this.archiveWriter = writer;
    }

    Optional<BackupPolicy> policy() {
        return storage.settings().get(POLICY_SETTING).filter(value -> !value.isBlank()).map(value -> {
            String[] parts = value.split("\\|", 3);
            return new BackupPolicy(parts.length > 2 && !parts[2].isEmpty() ? parts[2] : null, Integer.parseInt(parts[0]), parts[1]);
        });
    }

    BackupPolicy setPolicy(BackupPolicy policy) {
        if (policy == null) {
            storage.settings().put(POLICY_SETTING, "");
            return null;
        }
        if (policy.keep() < 1 || policy.keep() > 1000) {
            throw PloyerException.invalid("keep", "keep must be between 1 and 1000");
        }
        service.destination(policy.destinationId(), "destination_id");
        if (policy.schedule() != null) {
            BackupScheduler.validate(policy.schedule());
        }
        storage.settings().put(POLICY_SETTING, policy.keep() + "|" + policy.destinationId() + "|"
                + (policy.schedule() == null ? "" : policy.schedule()));
        return policy;
    }

    private DatabaseStore store() {
        return storage.databases();
    }

    Backup backup(String destinationId) {
        Optional<BackupPolicy> policy = policy();
        String chosen = destinationId != null ? destinationId : policy.map(BackupPolicy::destinationId).orElse(null);
        if (chosen == null) {
            throw PloyerException.invalid("destination_id", "there is no platform backup policy: name a destination_id");
        }
        StoredDestination destination = service.destination(chosen, "destination_id");
        Consumer<Path> writer = archiveWriter;
        if (writer == null) {
            throw new PloyerException(io.ployer.api.StandardErrorCode.INVALID_STATE, "platform backups are not ready yet");
        }
        Instant started = now();
        String key = PREFIX + started.toString().replace(":", "-") + "-" + UUID.randomUUID().toString().substring(0, 8) + ".zip";
        Backup running = new Backup(UUID.randomUUID().toString(), Backup.PLATFORM, chosen, Backup.Status.RUNNING, null, 0, null,
                null, started, null);
        store().insertPlatformBackup(running);
        Path archive = temporaryDirectory.resolve("platform-" + running.id() + ".zip");
        Backup finished;
        try (BackupTarget target = service.target(destination)) {
            Files.createDirectories(temporaryDirectory);
            writer.accept(archive);
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(Files.newInputStream(archive), sha256)) {
                target.write(key, in);
            }
            finished = new Backup(running.id(), Backup.PLATFORM, chosen, Backup.Status.SUCCEEDED, key, Files.size(archive),
                    HexFormat.of().formatHex(sha256.digest()), null, started, now());
            store().updatePlatformBackup(finished);
            String manifest = "{\"kind\":\"platform\",\"file\":\"" + key + "\",\"size\":" + finished.sizeBytes() + ",\"sha256\":\""
                    + finished.sha256() + "\",\"started\":\"" + started + "\",\"finished\":\"" + finished.finishedAt() + "\"}\n";
            target.write(key + ".manifest.json", new ByteArrayInputStream(manifest.getBytes(StandardCharsets.UTF_8)));
            if (policy.isPresent() && chosen.equals(policy.get().destinationId())) {
                prune(target, chosen, policy.get().keep());
            }
        } catch (IOException | RuntimeException | NoSuchAlgorithmException e) {
            String reason = e instanceof IOException ? e.getMessage() : "the platform backup failed: " + e.getMessage();
            LOG.warn("platform backup failed: {}", reason);
            finished = new Backup(running.id(), Backup.PLATFORM, chosen, Backup.Status.FAILED, null, 0, null, reason, started, now());
            store().updatePlatformBackup(finished);
        } finally {
            BackupStream.deleteQuietly(archive);
        }
        return finished;
    }

    private void prune(BackupTarget target, String destinationId, int keep) throws IOException {
        List<Backup> succeeded = store().listPlatformBackups().stream()
                .filter(backup -> backup.status() == Backup.Status.SUCCEEDED && backup.destinationId().equals(destinationId))
                .toList();
        for (Backup old : succeeded.subList(Math.min(keep, succeeded.size()), succeeded.size())) {
            target.delete(old.location());
            target.delete(old.location() + ".manifest.json");
            store().updatePlatformBackup(new Backup(old.id(), Backup.PLATFORM, old.destinationId(), Backup.Status.PRUNED,
                    old.location(), old.sizeBytes(), old.sha256(), "pruned: the policy keeps " + keep, old.startedAt(),
                    old.finishedAt()));
        }
    }

    /** What the scheduler runs: failures are recorded, never thrown. */
    void scheduled() {
        try {
            Backup backup = backup(null);
            LOG.info("scheduled platform backup {}: {}", backup.id(), backup.status());
        } catch (RuntimeException e) {
            LOG.warn("scheduled platform backup could not run: {}", e.getMessage());
        }
    }

    List<Backup> list() {
        return store().listPlatformBackups();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
