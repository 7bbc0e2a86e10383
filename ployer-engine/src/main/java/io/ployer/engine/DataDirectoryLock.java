package io.ployer.engine;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The data directory's owner: one engine at a time, across processes and within one JVM. Two
 * engines on one directory would run two reconcilers, two health monitors and two build queues over
 * the same containers and database; the second is refused at start with a sentence saying why.
 * The lock is the operating system's (released when the process dies, even by kill -9), held on
 * {@code .lock} in the directory.
 */
final class DataDirectoryLock implements AutoCloseable {
    static final String FILE = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DataDirectoryLock acquire(Path directory) {
        Path file = directory.resolve(FILE);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new PloyerException(StandardErrorCode.CONFIGURATION,
                    "cannot open " + file + " to claim the data directory: " + e.getMessage(), e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException | IOException e) {
            lock = null;
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new PloyerException(StandardErrorCode.INVALID_STATE, "another Ployer is using the data directory "
                    + directory + "; stop it first, or give this one a data directory of its own");
        }
        return new DataDirectoryLock(channel, lock);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was claimed
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
