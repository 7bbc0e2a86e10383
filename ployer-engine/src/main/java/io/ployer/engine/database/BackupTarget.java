package io.ployer.engine.database;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Where backup files go: a local directory or an S3-compatible bucket. Writing streams (memory stays
 * bounded whatever the file's size); a failure is an {@link IOException} whose message says why.
 * (To become the {@code BackupTarget} plugin role of the design; internal to the engine for now.)
 */
interface BackupTarget extends AutoCloseable {

    /** Writes {@code content} to {@code key}, reading it to its end. */
    void write(String key, InputStream content) throws IOException;

    /** Opens {@code key} for reading. */
    InputStream read(String key) throws IOException;

    /** Deletes {@code key}; an absent key is ignored. */
    void delete(String key) throws IOException;

    /** The keys under {@code prefix}, sorted. */
    List<String> list(String prefix) throws IOException;

    @Override
    void close();
}
