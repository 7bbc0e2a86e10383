package io.ployer.engine.application;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.application.Application;
import io.ployer.api.application.ConfigFile;
import io.ployer.api.application.ConfigFileService;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.engine.secret.SecretCipher;
import io.ployer.api.container.Mount;
import io.ployer.spi.storage.ConfigFileStore.StoredFile;
import io.ployer.spi.storage.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Persistent configuration files: the content is encrypted with the engine's key (bound to the
 * application and the path) and never answered. At each deployment the files are written, decrypted,
 * under {@code <data>/files/<app>/<deployment>/} (owner-only directories) and bind-mounted read-only
 * at their paths; the directories of deployments no longer running are removed then.
 */
public final class ApplicationFiles implements ConfigFileService {
    /** Largest content, in bytes. */
    public static final int MAX_BYTES = 512 * 1024;
    private static final int MAX_FILES = 50;
    private static final Set<String> SYSTEM_ROOTS = Set.of("/proc", "/sys", "/dev");

    private final Storage storage;
    private final SecretCipher cipher;
    private final Path root;
    private final Clock clock;

    public ApplicationFiles(Storage storage, SecretCipher cipher, Path dataDirectory, Clock clock) {
        this.storage = storage;
        this.cipher = cipher;
        this.root = dataDirectory.resolve("files");
        this.clock = clock;
    }

    static String field(String path) {
        return "file:" + path;
    }

    @Override
    public List<ConfigFile> files(String applicationId) {
        requireApplication(applicationId);
        return storage.configFiles().listByApplication(applicationId).stream().map(ApplicationFiles::view).toList();
    }

    @Override
    public ConfigFile putFile(String applicationId, String path, String content) {
        requireApplication(applicationId);
        String checked = checkPath(path);
        if (content == null) {
            throw PloyerException.invalid("content", "is required (the file's text; it may be empty)");
        }
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_BYTES) {
            throw PloyerException.invalid("content", "must be at most " + MAX_BYTES / 1024 + " KiB");
        }
        if (storage.volumes().listByApplication(applicationId).stream()
                .anyMatch(volume -> checked.equals(volume.containerPath()) || checked.startsWith(volume.containerPath() + "/"))) {
            throw PloyerException.conflict("path", "A volume of the application is mounted at or above " + checked + ".");
        }
        Instant now = clock.instant();
        StoredFile stored = storage.inTransaction(tx -> {
            List<StoredFile> existing = tx.configFiles().listByApplication(applicationId);
            StoredFile same = existing.stream().filter(file -> file.path().equals(checked)).findFirst().orElse(null);
            if (same == null && existing.size() >= MAX_FILES) {
                throw PloyerException.conflict("path", "An application holds at most " + MAX_FILES + " files.");
            }
            StoredFile file = new StoredFile(same == null ? UUID.randomUUID().toString() : same.id(), applicationId, checked,
                    cipher.encrypt(applicationId, field(checked), content), bytes.length, same == null ? now : same.createdAt(), now);
            tx.configFiles().upsert(file);
            return file;
        });
        return view(stored);
    }

    @Override
    public void removeFile(String applicationId, String fileId) {
        requireApplication(applicationId);
        boolean removed = storage.inTransaction(tx -> tx.configFiles().findById(String.valueOf(fileId))
                .filter(file -> file.applicationId().equals(applicationId))
                .map(file -> tx.configFiles().delete(file.id())).orElse(false));
        if (!removed) {
            throw PloyerException.notFound("file of application " + applicationId, String.valueOf(fileId));
        }
    }

    /**
     * Writes the application's files for one deployment and answers their read-only bind mounts;
     * removes the directories of the application's deployments that no longer run.
     */
    public List<Mount> mountsFor(Application application, Deployment deployment) {
        List<StoredFile> files;
        try {
            files = storage.configFiles().listByApplication(application.id());
        } catch (UnsupportedOperationException noFiles) {
            return List.of();
        }
        Path appDirectory = root.resolve(application.id());
        removeStale(appDirectory, deployment.id(), application.id());
        if (files.isEmpty()) {
            return List.of();
        }
        List<Mount> mounts = new ArrayList<>();
        try {
            Path directory = ownerOnlyDirectories(appDirectory.resolve(deployment.id()));
            int index = 0;
            for (StoredFile file : files) {
                // One directory per file keeps names flat and unambiguous; the file keeps its base name.
                Path holder = ownerOnlyDirectories(directory.resolve(String.valueOf(index++)));
                Path target = holder.resolve(Path.of(file.path()).getFileName().toString());
                Files.writeString(target, cipher.decrypt(application.id(), field(file.path()), file.content()), StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
                mounts.add(new Mount(target.toAbsolutePath().toString(), file.path(), true, true));
            }
        } catch (IOException e) {
            throw new PloyerException(StandardErrorCode.INTERNAL_ERROR, "cannot write the configuration files of "
                    + application.name() + ": " + e.getMessage(), e);
        }
        return mounts;
    }

    private void removeStale(Path appDirectory, String current, String applicationId) {
        if (!Files.isDirectory(appDirectory)) {
            return;
        }
        Set<String> keep = storage.deployments().findByApplicationAndStatus(applicationId, EnumSet.of(DeploymentStatus.RUNNING))
                .stream().map(Deployment::id).collect(Collectors.toSet());
        keep.add(current);
        try (Stream<Path> children = Files.list(appDirectory)) {
            for (Path child : children.toList()) {
                if (!keep.contains(child.getFileName().toString())) {
                    deleteTree(child);
                }
            }
        } catch (IOException e) {
            // stale copies are removed at the next deployment
        }
    }

    private static void deleteTree(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static Path ownerOnlyDirectories(Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        return directory;
    }

    /** Re-encrypts every file under the current key; returns how many were rewritten. */
    public static int reencrypt(Storage tx, SecretCipher cipher) {
        int rewritten = 0;
        for (StoredFile file : storedOrNone(tx)) {
            if (cipher.needsReencryption(file.content())) {
                tx.configFiles().upsert(new StoredFile(file.id(), file.applicationId(), file.path(),
                        cipher.reencrypt(file.applicationId(), field(file.path()), file.content()), file.size(), file.createdAt(),
                        file.updatedAt()));
                rewritten++;
            }
        }
        return rewritten;
    }

    /** Every stored file; none when the storage plugin keeps no files. */
    public static List<StoredFile> storedOrNone(Storage storage) {
        try {
            return storage.configFiles().listAll();
        } catch (UnsupportedOperationException noFiles) {
            return List.of();
        }
    }

    private void requireApplication(String applicationId) {
        if (applicationId == null || storage.applications().findById(applicationId).isEmpty()) {
            throw PloyerException.notFound("application", String.valueOf(applicationId));
        }
    }

    static String checkPath(String path) {
        String rule = "must be an absolute file path such as /etc/app/config.toml, without '..', ':' or control characters";
        if (path == null || path.length() > 1024 || !path.startsWith("/") || path.endsWith("/") || path.contains("//")
                || path.contains(":") || path.contains(",") || path.chars().anyMatch(c -> Character.isISOControl(c))) {
            throw PloyerException.invalid("path", rule);
        }
        for (String part : path.substring(1).split("/")) {
            if (part.isEmpty() || part.equals("..") || part.equals(".")) {
                throw PloyerException.invalid("path", rule);
            }
        }
        for (String system : SYSTEM_ROOTS) {
            if (path.equals(system) || path.startsWith(system + "/")) {
                throw PloyerException.invalid("path", "must not lie under " + system);
            }
        }
        return path;
    }

    private static ConfigFile view(StoredFile file) {
        return new ConfigFile(file.id(), file.applicationId(), file.path(), file.size(), file.createdAt(), file.updatedAt());
    }
}
