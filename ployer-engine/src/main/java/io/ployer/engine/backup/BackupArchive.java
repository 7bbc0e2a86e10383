package io.ployer.engine.backup;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A Ployer backup: one zip archive holding a consistent snapshot of the database ({@value #DATABASE}),
 * the key file ({@value #KEY_FILE}) unless the keys came from configuration ({@code PLOYER_SECRET}),
 * and {@value #MANIFEST}: the format, the Ployer version, when it was made, the storage plugin, the
 * key's id and the database's key-check value, and every file's size and SHA-256.
 *
 * <p>Restoring unpacks into a staging directory beside the data directory, checks every checksum,
 * has the caller open the staged data directory (the engine's start checks the key against the
 * key-check value and refuses a wrong key), and only then moves the files into the data directory:
 * a restore that fails writes nothing there. Every file is created owner-only (0600).
 */
public final class BackupArchive {
    /** The manifest's name in the archive. */
    public static final String MANIFEST = "manifest.json";
    /** The database snapshot's name in the archive and in the data directory. */
    public static final String DATABASE = "ployer.db";
    /** The key file's name in the archive and in the data directory. */
    public static final String KEY_FILE = "secret.key";
    /** The manifest's {@code format}. */
    public static final String FORMAT = "ployer-backup-1";
    /** The largest file accepted from an archive (a guard against zip bombs). */
    private static final long MAX_ENTRY_BYTES = 16L * 1024 * 1024 * 1024;
    private static final Set<PosixFilePermission> OWNER_ONLY = Set.copyOf(PosixFilePermissions.fromString("rw-------"));
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = Set.copyOf(PosixFilePermissions.fromString("rwx------"));

    /**
     * What a manifest says.
     *
     * @param ployerVersion the version that wrote the backup
     * @param createdAt     when
     * @param storage       the storage plugin whose snapshot it holds
     * @param keyInArchive  whether the key file is in the archive ({@code false}: the keys came from
     *                      {@code PLOYER_SECRET}, which the restore must be given)
     * @param keyId         the id of the key that encrypted the key-check value
     * @param keyCheck      the database's key-check value (a known text encrypted with that key)
     * @param files         each file's SHA-256 (hex), by name
     */
    public record Manifest(String ployerVersion, Instant createdAt, String storage, boolean keyInArchive, String keyId,
                           String keyCheck, Map<String, String> files) {
        public Manifest {
            files = Map.copyOf(files);
        }
    }

    /**
     * The database's side of a backup, made by the engine.
     *
     * @param ployerVersion version to record
     * @param storage       storage plugin name
     * @param snapshot      writes a consistent snapshot of the database to the path it is given (which does not exist)
     * @param keyFile       the key file to include, or empty when the keys come from configuration
     * @param keyId         the primary key's id
     * @param keyCheck      the stored key-check value
     */
    public record Source(String ployerVersion, String storage, Consumer<Path> snapshot, Optional<Path> keyFile, String keyId,
                         String keyCheck) {
    }

    private BackupArchive() {
    }

    /** Writes the archive to {@code archive}, which must not exist; on failure nothing is left behind. */
    public static Manifest write(Path archive, Source source, Instant now) {
        if (archive == null) {
            throw PloyerException.invalid("archive", "is required");
        }
        Path target = archive.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            throw PloyerException.invalid("archive", "must not exist: " + archive);
        }
        Path staging = null;
        Path partial = null;
        try {
            Files.createDirectories(target.getParent());
            staging = createPrivateDirectory(target.getParent(), "." + target.getFileName() + ".staging-");
            Path database = staging.resolve(DATABASE);
            source.snapshot().accept(database);
            Map<String, Path> contents = new LinkedHashMap<>();
            contents.put(DATABASE, database);
            if (source.keyFile().isPresent()) {
                Path key = staging.resolve(KEY_FILE);
                createOwnerOnly(key);
                Files.copy(source.keyFile().get(), key, StandardCopyOption.REPLACE_EXISTING);
                contents.put(KEY_FILE, key);
            }
            Map<String, String> sums = new LinkedHashMap<>();
            List<Object> fileEntries = new ArrayList<>();
            for (Map.Entry<String, Path> file : contents.entrySet()) {
                String sum = sha256(file.getValue());
                sums.put(file.getKey(), sum);
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", file.getKey());
                entry.put("size", Files.size(file.getValue()));
                entry.put("sha256", sum);
                fileEntries.add(entry);
            }
            Manifest manifest = new Manifest(source.ployerVersion(), now, source.storage(), source.keyFile().isPresent(),
                    source.keyId(), source.keyCheck(), sums);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("format", FORMAT);
            json.put("ployer_version", manifest.ployerVersion());
            json.put("created_at", now.toString());
            json.put("storage", manifest.storage());
            Map<String, Object> key = new LinkedHashMap<>();
            key.put("source", manifest.keyInArchive() ? "file" : "external");
            key.put("key_id", manifest.keyId());
            key.put("key_check", manifest.keyCheck());
            json.put("key", key);
            json.put("files", fileEntries);
            partial = target.resolveSibling("." + target.getFileName() + ".partial-" + UUID.randomUUID());
            createOwnerOnly(partial);
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(partial))) {
                zip.putNextEntry(new ZipEntry(MANIFEST));
                zip.write(ManifestJson.write(json).getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
                for (Map.Entry<String, Path> file : contents.entrySet()) {
                    zip.putNextEntry(new ZipEntry(file.getKey()));
                    Files.copy(file.getValue(), zip);
                    zip.closeEntry();
                }
            }
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException raced) {
                throw PloyerException.invalid("archive", "must not exist: " + archive);
            }
            partial = null;
            return manifest;
        } catch (IOException e) {
            throw new PloyerException(StandardErrorCode.STORAGE_FAILURE, "Could not write the backup " + archive + ": "
                    + e.getMessage() + ".", e);
        } finally {
            deleteQuietly(partial);
            deleteQuietly(staging);
        }
    }

    /**
     * Restores {@code archive} into {@code dataDirectory}.
     *
     * @param force            replace the database and key file of a data directory that is not empty
     *                         (any {@code -wal}/{@code -shm} of the old database are removed)
     * @param keysConfigured   whether the keys are given by configuration ({@code PLOYER_SECRET}); required when the
     *                         archive holds no key file
     * @param openStaged       opens a data directory the way the engine starts, failing (with the engine's
     *                         SECRET_KEY_MISMATCH) when the key cannot read the database
     * @return the archive's manifest
     * @throws PloyerException with a sentence for a person when the archive, its checksums, the key or the data
     *                         directory are not right; nothing is written to the data directory then
     */
    public static Manifest restore(Path archive, Path dataDirectory, boolean force, boolean keysConfigured,
                                   Consumer<Path> openStaged) {
        Path target = dataDirectory.toAbsolutePath().normalize();
        if (!Files.isRegularFile(archive)) {
            throw PloyerException.invalid("archive", "There is no backup archive at " + archive + ".");
        }
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw PloyerException.invalid("data-dir", target + " is a file, not a data directory.");
        }
        if (!force && !isEmpty(target)) {
            throw PloyerException.invalid("data-dir", "The data directory " + target + " is not empty; restore into a new "
                    + "directory, or pass --force to replace its database and key file.");
        }
        Path staging = null;
        try {
            Files.createDirectories(target.getParent());
            staging = createPrivateDirectory(target.getParent(), "." + target.getFileName() + ".restore-");
            Manifest manifest = unpack(archive, staging);
            if (!manifest.keyInArchive() && !keysConfigured) {
                throw new PloyerException(StandardErrorCode.SECRET_KEY_MISMATCH, "This backup holds no key file: the server "
                        + "that made it took its keys from PLOYER_SECRET (key id '" + manifest.keyId() + "'). Set PLOYER_SECRET "
                        + "to that key and run the restore again.");
            }
            try {
                openStaged.accept(staging);
            } catch (PloyerException e) {
                if (e.code() == StandardErrorCode.SECRET_KEY_MISMATCH) {
                    throw new PloyerException(StandardErrorCode.SECRET_KEY_MISMATCH, "The key does not open this backup's "
                            + "database: " + e.getMessage() + ".", e);
                }
                throw e;
            }
            install(staging, target);
            return manifest;
        } catch (IOException e) {
            throw new PloyerException(StandardErrorCode.STORAGE_FAILURE, "Could not restore " + archive + " into " + target
                    + ": " + e.getMessage() + ".", e);
        } finally {
            deleteQuietly(staging);
        }
    }

    /** Unpacks the archive into {@code staging}, checking every entry against the manifest. */
    private static Manifest unpack(Path archive, Path staging) throws IOException {
        String manifestText = null;
        Map<String, String> actualSums = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                String name = entry.getName();
                if (name.equals(MANIFEST)) {
                    manifestText = new String(zip.readNBytes(1024 * 1024), StandardCharsets.UTF_8);
                } else if (name.equals(DATABASE) || name.equals(KEY_FILE)) {
                    if (actualSums.containsKey(name)) {
                        throw notABackup(archive, "it holds " + name + " twice");
                    }
                    Path file = staging.resolve(name);
                    createOwnerOnly(file);
                    actualSums.put(name, copyCounting(zip, file));
                } else {
                    throw notABackup(archive, "it holds an unexpected file '" + name + "'");
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw notABackup(archive, "it is not a readable zip archive (" + e.getMessage() + ")");
        } catch (java.io.EOFException e) {
            throw notABackup(archive, "it is cut short");
        }
        if (manifestText == null) {
            throw notABackup(archive, "it has no " + MANIFEST);
        }
        Manifest manifest = parseManifest(archive, manifestText);
        for (Map.Entry<String, String> listed : manifest.files().entrySet()) {
            String actual = actualSums.get(listed.getKey());
            if (actual == null) {
                throw notABackup(archive, "the manifest lists " + listed.getKey() + " but the archive does not hold it");
            }
            if (!actual.equalsIgnoreCase(listed.getValue())) {
                throw new PloyerException(StandardErrorCode.INVALID_ARGUMENT, "archive", "The backup " + archive
                        + " is damaged: the checksum of " + listed.getKey() + " does not match its manifest.", null);
            }
        }
        for (String name : actualSums.keySet()) {
            if (!manifest.files().containsKey(name)) {
                throw notABackup(archive, "it holds " + name + ", which its manifest does not list");
            }
        }
        if (!manifest.files().containsKey(DATABASE)) {
            throw notABackup(archive, "its manifest lists no database");
        }
        if (manifest.keyInArchive() != manifest.files().containsKey(KEY_FILE)) {
            throw notABackup(archive, "its manifest and its files disagree about the key file");
        }
        return manifest;
    }

    private static Manifest parseManifest(Path archive, String text) {
        try {
            if (!(ManifestJson.parse(text) instanceof Map<?, ?> json) || !FORMAT.equals(json.get("format"))) {
                throw notABackup(archive, "its manifest is not a " + FORMAT + " manifest");
            }
            Map<?, ?> key = (Map<?, ?>) json.get("key");
            Map<String, String> files = new LinkedHashMap<>();
            for (Object each : (List<?>) json.get("files")) {
                Map<?, ?> file = (Map<?, ?>) each;
                files.put((String) file.get("name"), (String) file.get("sha256"));
            }
            return new Manifest((String) json.get("ployer_version"), Instant.parse((String) json.get("created_at")),
                    (String) json.get("storage"), "file".equals(key.get("source")), (String) key.get("key_id"),
                    (String) key.get("key_check"), files);
        } catch (IllegalArgumentException | ClassCastException | NullPointerException | java.time.format.DateTimeParseException e) {
            throw notABackup(archive, "its manifest cannot be read (" + e.getMessage() + ")");
        }
    }

    /** Moves the staged files into the data directory (created 0700 when absent). */
    private static void install(Path staging, Path target) throws IOException {
        if (!Files.exists(target)) {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        for (String stale : List.of(DATABASE + "-wal", DATABASE + "-shm", DATABASE + "-journal")) {
            Files.deleteIfExists(target.resolve(stale)); // an old database's journal would be replayed into the new one
        }
        for (String name : List.of(DATABASE, KEY_FILE)) {
            Path file = staging.resolve(name);
            if (Files.exists(file)) {
                Files.move(file, target.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    private static PloyerException notABackup(Path archive, String why) {
        return new PloyerException(StandardErrorCode.INVALID_ARGUMENT, "archive", "The file " + archive
                + " is not a usable Ployer backup: " + why + ".", null);
    }

    private static String copyCounting(InputStream in, Path file) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            int read;
            while ((read = in.read(buffer)) > 0) {
                total += read;
                if (total > MAX_ENTRY_BYTES) {
                    throw new IOException("an entry is larger than " + MAX_ENTRY_BYTES + " bytes");
                }
                digest.update(buffer, 0, read);
                out.write(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            int read;
            while ((read = in.read(buffer)) > 0) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static boolean isEmpty(Path directory) {
        if (!Files.exists(directory)) {
            return true;
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static Path createPrivateDirectory(Path parent, String prefix) throws IOException {
        if (posix(parent)) {
            return Files.createTempDirectory(parent, prefix, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
        }
        return Files.createTempDirectory(parent, prefix);
    }

    private static void createOwnerOnly(Path file) throws IOException {
        if (posix(file.getParent())) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            Files.createFile(file);
        }
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static void deleteQuietly(Path path) {
        if (path == null || !Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path each : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(each);
            }
        } catch (IOException e) {
            // Best effort: a leftover staging directory is owner-only and named after the archive.
        }
    }
}
