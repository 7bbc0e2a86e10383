package io.ployer.engine.database;

import io.ployer.api.PloyerException;
import io.ployer.api.database.Backup;
import io.ployer.api.database.Database;
import io.ployer.api.database.DatabaseEngine;
import io.ployer.spi.plugin.Cancellation;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.runtime.ExecResult;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Moves one dump between a database container and a backup target. A dump streams from the engine's
 * tool (run in the container) through gzip and SHA-256 into the target through a 1 MiB pipe, so
 * memory stays flat whatever the database's size. A restore checks the SHA-256 while it decompresses
 * the file to a temporary file (a copy into a container needs its size up front), then runs the
 * engine's restore tool on it.
 */
final class BackupStream {
    private static final int PIPE = 1024 * 1024;
    private final ContainerRuntime runtime;
    private final EngineDefinition definition;
    private final java.util.concurrent.ThreadFactory threadFactory;

    BackupStream(ContainerRuntime runtime, EngineDefinition definition, java.util.concurrent.ThreadFactory threadFactory) {
        this.runtime = runtime;
        this.definition = definition;
        this.threadFactory = threadFactory;
    }

    /** Size in bytes and SHA-256 (hex) of the compressed file written. */
    record Result(long size, String sha256) {
    }

    Result dump(String containerId, Database database, String password, BackupTarget target, String key) throws IOException {
        MessageDigest digest = sha256();
        PipedInputStream source = new PipedInputStream(PIPE);
        PipedOutputStream sink = new PipedOutputStream(source);
        Counting counted = new Counting(new DigestOutputStream(sink, digest));
        AtomicReference<ExecResult> outcome = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread dumper = threadFactory.newThread(() -> {
            try (GZIPOutputStream gzip = new GZIPOutputStream(counted, 64 * 1024)) {
                outcome.set(runtime.exec(containerId, definition.dumpCommand(database.username(), database.databaseName()),
                        definition.commandEnvironment(password), gzip, Cancellation.NONE));
            } catch (IOException | RuntimeException e) {
                failure.set(e);
            }
        });
        dumper.start();
        try {
            target.write(key, source);
        } catch (IOException e) {
            throw e;
        } finally {
            // A target that stopped reading must not leave the dump blocked on a full pipe.
            source.close();
            join(dumper);
        }
        ExecResult result = outcome.get();
        String failed = null;
        if (failure.get() != null) {
            failed = "the dump could not be streamed: " + failure.get().getMessage();
        } else if (result == null || !result.succeeded()) {
            failed = "the dump tool exited with " + (result == null ? "no exit code" : result.exitCode())
                    + (result == null || result.errorTail().isEmpty() ? "" : ": " + result.errorTail());
        }
        if (failed != null) {
            try {
                target.delete(key);
            } catch (IOException e) {
                // the failure below is the one that matters
            }
            throw new IOException(failed);
        }
        return new Result(counted.count, HexFormat.of().formatHex(digest.digest()));
    }

    private static void join(Thread thread) throws IOException {
        try {
            thread.join(Duration.ofMinutes(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the dump finished", e);
        }
    }

    /**
     * Restores {@code backup} into the container. {@code ready} waits until the engine answers again
     * (Redis is restored by swapping its dump file while it is stopped).
     */
    void restore(String containerId, Database database, String password, BackupTarget target, Backup backup, Path temporary,
                 BooleanSupplier ready) throws IOException {
        Files.createDirectories(temporary);
        Path file = Files.createTempFile(temporary, "restore-", ".dump");
        try {
            MessageDigest digest = sha256();
            try (InputStream raw = target.read(backup.location());
                 DigestInputStream checked = new DigestInputStream(raw, digest);
                 InputStream plain = new GZIPInputStream(checked, 64 * 1024)) {
                Files.copy(plain, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                checked.transferTo(OutputStream.nullOutputStream());
            }
            String sha256 = HexFormat.of().formatHex(digest.digest());
            if (backup.sha256() != null && !backup.sha256().equals(sha256)) {
                throw new IOException("the file at " + backup.location() + " does not match its recorded SHA-256");
            }
            long size = Files.size(file);
            if (database.engine() == DatabaseEngine.REDIS) {
                runtime.stopContainer(containerId, Duration.ofSeconds(30));
                try (InputStream content = Files.newInputStream(file)) {
                    runtime.copyFileToContainer(containerId, definition.dataDirectory(), "dump.rdb", content, size);
                }
                runtime.startContainer(containerId);
                if (!ready.getAsBoolean()) {
                    throw new IOException("Redis did not come back after its dump file was replaced");
                }
                return;
            }
            try (InputStream content = Files.newInputStream(file)) {
                runtime.copyFileToContainer(containerId, EngineDefinition.RESTORE_DIRECTORY, EngineDefinition.RESTORE_FILE, content,
                        size);
            }
            ExecResult result = runtime.exec(containerId, definition.restoreCommand(database.username(), database.databaseName()),
                    definition.commandEnvironment(password), OutputStream.nullOutputStream(), Cancellation.NONE);
            if (!result.succeeded()) {
                throw new IOException("the restore tool exited with " + result.exitCode()
                        + (result.errorTail().isEmpty() ? "" : ": " + result.errorTail()));
            }
        } catch (PloyerException e) {
            throw new IOException(e.getMessage(), e);
        } finally {
            deleteQuietly(file);
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(BackupStream.class).warn("could not delete {}: {}", file, e.getMessage());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Counts the bytes that pass. */
    private static final class Counting extends FilterOutputStream {
        private volatile long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
