package io.ployer.engine.application;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.application.Application;
import io.ployer.api.application.OrphanedVolume;
import io.ployer.api.application.Volume;
import io.ployer.api.application.VolumeService;
import io.ployer.api.application.VolumeSpec;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.api.container.Mount;
import io.ployer.api.container.VolumeInfo;
import io.ployer.spi.storage.Storage;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Volumes of applications: validated, stored, and created on the runtime as named volumes
 * {@code ployer-<app>_<name>} (an application name never holds {@code _}, so two applications'
 * names can never collide) labelled with the application and this installation.
 */
public final class ApplicationVolumes implements VolumeService {
    /** Label holding the name an application gave its volume. */
    public static final String LABEL_VOLUME = "io.ployer.volume";
    /** Label marking a volume a Compose stack declared (not stored as the application's): orphaned only with its app. */
    public static final String LABEL_STACK = "io.ployer.stack";
    static final Pattern VOLUME_NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]*");
    private static final Logger LOG = LoggerFactory.getLogger(ApplicationVolumes.class);

    private final Storage storage;
    private final DefaultApplicationService applications;
    private final Optional<ContainerRuntime> runtime;
    private final List<Path> bindRoots;
    private final String instanceId;
    private final Clock clock;

    public ApplicationVolumes(Storage storage, DefaultApplicationService applications, Optional<ContainerRuntime> runtime,
                              List<Path> bindRoots, String instanceId, Clock clock) {
        this.storage = storage;
        this.applications = applications;
        this.runtime = runtime;
        this.bindRoots = List.copyOf(bindRoots);
        this.instanceId = instanceId;
        this.clock = clock;
    }

    /** The runtime name of an application's named volume. */
    public static String runtimeName(String applicationName, String volumeName) {
        return "ployer-" + applicationName + "_" + volumeName;
    }

    /** The volumes of an application, or none when the storage plugin keeps none. */
    public static List<Volume> of(Storage storage, String applicationId) {
        try {
            return storage.volumes().listByApplication(applicationId);
        } catch (UnsupportedOperationException e) {
            return List.of();
        }
    }

    /** The mounts every container of the application gets. */
    public static List<Mount> mounts(List<Volume> volumes) {
        return volumes.stream().map(volume -> new Mount(volume.source(), volume.containerPath(),
                volume.kind() == Volume.Kind.BIND, volume.readOnly())).toList();
    }

    /**
     * Makes sure every named volume exists on the runtime (a volume removed by hand comes back empty
     * rather than failing the deployment).
     */
    public static void ensureCreated(ContainerRuntime runtime, Application application, List<Volume> volumes, String instanceId) {
        if (volumes.stream().noneMatch(volume -> volume.kind() == Volume.Kind.NAMED)) {
            return;
        }
        Set<String> existing = runtime.listVolumes().stream().map(VolumeInfo::name).collect(Collectors.toSet());
        for (Volume volume : volumes) {
            if (volume.kind() == Volume.Kind.NAMED && !existing.contains(volume.source())) {
                runtime.createVolume(volume.source(), labels(application.id(), volume.name(), instanceId));
            }
        }
    }

    private static Map<String, String> labels(String applicationId, String volumeName, String instanceId) {
        return Map.of(ContainerRuntime.LABEL_MANAGED, "true", ContainerRuntime.LABEL_APP, applicationId,
                ContainerRuntime.LABEL_INSTANCE, instanceId, LABEL_VOLUME, volumeName);
    }

    @Override
    public List<Volume> volumes(String applicationId) {
        applications.get(applicationId);
        return of(storage, applicationId);
    }

    @Override
    public Volume addVolume(String applicationId, VolumeSpec spec) {
        if (spec == null) {
            throw PloyerException.invalid("body", "is required");
        }
        Application application = applications.get(applicationId);
        String name = spec.name();
        ApplicationRules.required("name", name);
        if (name.length() > 64 || !VOLUME_NAME.matcher(name).matches()) {
            throw PloyerException.invalid("name", "must match [a-z0-9][a-z0-9_.-]* and be at most 64 characters");
        }
        String containerPath = containerPath(spec.containerPath());
        boolean bind = spec.hostPath() != null;
        String source = bind ? hostPath(spec.hostPath()) : runtimeName(application.name(), name);
        List<Volume> current = of(storage, applicationId);
        for (Volume volume : current) {
            if (volume.name().equals(name)) {
                throw PloyerException.conflict("name", "the application already has a volume named '" + name + "'");
            }
            if (volume.containerPath().equals(containerPath)) {
                throw PloyerException.conflict("container_path", "the application already mounts a volume at " + containerPath);
            }
        }
        if (!bind) {
            runtime.ifPresent(containerRuntime -> containerRuntime.listVolumes().stream()
                    .filter(info -> info.name().equals(source)).findFirst().ifPresent(info -> {
                        if (!applicationId.equals(info.labels().get(ContainerRuntime.LABEL_APP))) {
                            throw PloyerException.conflict("name", "the runtime already has a volume " + source
                                    + " that this application did not make (perhaps left by a deleted application with the same name);"
                                    + " remove it first or choose another name");
                        }
                    }));
        }
        Volume volume = new Volume(UUID.randomUUID().toString(), applicationId, name,
                bind ? Volume.Kind.BIND : Volume.Kind.NAMED, source, containerPath,
                Boolean.TRUE.equals(spec.readOnly()), Boolean.TRUE.equals(spec.exclusive()), clock.instant());
        storage.inTransaction(tx -> {
            tx.volumes().insert(volume);
            return null;
        });
        if (!bind) {
            runtime.ifPresent(containerRuntime -> ensureCreated(containerRuntime, application, List.of(volume), instanceId));
        }
        return volume;
    }

    private static String containerPath(String value) {
        ApplicationRules.required("container_path", value);
        ApplicationRules.maxLength("container_path", value, 255);
        if (!value.startsWith("/")) {
            throw PloyerException.invalid("container_path", "must be an absolute path (starting with /)");
        }
        for (String segment : value.split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                throw PloyerException.invalid("container_path", "must not contain '.' or '..' segments");
            }
        }
        if (value.chars().anyMatch(c -> c < 0x20 || c == ':' || c == ',' || c == 0x7f)) {
            throw PloyerException.invalid("container_path", "must not contain ':', ',' or control characters");
        }
        String normalised = value.replaceAll("/+", "/");
        if (normalised.length() > 1 && normalised.endsWith("/")) {
            normalised = normalised.substring(0, normalised.length() - 1);
        }
        if (normalised.equals("/")) {
            throw PloyerException.invalid("container_path", "must not be / (the container's root)");
        }
        return normalised;
    }

    private String hostPath(String value) {
        ApplicationRules.maxLength("host_path", value, 1024);
        if (bindRoots.isEmpty()) {
            throw PloyerException.invalid("host_path", "bind mounts are disabled on this server (no volumes.bind-roots configured)");
        }
        Path path;
        try {
            path = Path.of(value);
        } catch (InvalidPathException e) {
            throw PloyerException.invalid("host_path", "must be a valid absolute host path");
        }
        if (!path.isAbsolute() || value.contains("..") || value.chars().anyMatch(c -> c < 0x20 || c == ':' || c == ',')) {
            throw PloyerException.invalid("host_path", "must be an absolute path without '..', ':' or ','");
        }
        Path normalised = path.normalize();
        if (bindRoots.stream().noneMatch(normalised::startsWith)) {
            throw PloyerException.invalid("host_path", "must lie under one of the allowed roots " + bindRoots
                    + " (volumes.bind-roots)");
        }
        if (!Files.isDirectory(normalised)) {
            throw PloyerException.invalid("host_path", "must be an existing directory on the host");
        }
        return normalised.toString();
    }

    @Override
    public void removeVolume(String applicationId, String volumeId) {
        applications.get(applicationId);
        Volume volume = of(storage, applicationId).stream().filter(candidate -> candidate.id().equals(volumeId))
                .findFirst().orElseThrow(() -> PloyerException.notFound("volume", volumeId));
        storage.inTransaction(tx -> tx.volumes().delete(volume.id()));
    }

    @Override
    public void deleteApplication(String applicationId, boolean deleteVolumes) {
        List<String> names = new ArrayList<>();
        if (deleteVolumes) {
            of(storage, applications.get(applicationId).id()).stream().filter(volume -> volume.kind() == Volume.Kind.NAMED)
                    .forEach(volume -> names.add(volume.source()));
            // the named volumes its Compose file declared
            runtime.ifPresent(containerRuntime -> containerRuntime.listVolumes().stream()
                    .filter(info -> applicationId.equals(info.labels().get(ContainerRuntime.LABEL_APP))
                            && info.labels().containsKey(LABEL_STACK))
                    .forEach(info -> names.add(info.name())));
        }
        applications.delete(applicationId);
        List<String> failed = new ArrayList<>();
        for (String name : names) {
            if (runtime.isEmpty()) {
                continue;
            }
            try {
                runtime.get().removeVolume(name);
            } catch (RuntimeException e) {
                LOG.warn("could not remove volume {} of deleted application {}: {}", name, applicationId, e.getMessage());
                failed.add(name);
            }
        }
        if (!failed.isEmpty()) {
            throw new PloyerException(StandardErrorCode.RUNTIME_FAILURE, "the application was deleted but its volumes "
                    + failed + " could not be removed; they are listed as orphaned volumes");
        }
    }

    @Override
    public List<OrphanedVolume> orphaned() {
        if (runtime.isEmpty()) {
            return List.of();
        }
        Set<String> known = new java.util.HashSet<>();
        try {
            storage.volumes().listAll().forEach(volume -> known.add(volume.source()));
        } catch (UnsupportedOperationException e) {
            // no stored volumes: every labelled one is orphaned
        }
        return runtime.get().listVolumes().stream()
                .filter(info -> instanceId.equals(info.labels().get(ContainerRuntime.LABEL_INSTANCE)))
                .filter(info -> info.labels().containsKey(LABEL_VOLUME))
                .filter(info -> !known.contains(info.name()))
                // a stack's volume belongs to its Compose file, not to storage: orphaned once its application is gone
                .filter(info -> !info.labels().containsKey(LABEL_STACK)
                        || storage.applications().findById(info.labels().get(ContainerRuntime.LABEL_APP)).isEmpty())
                .map(info -> new OrphanedVolume(info.name(), info.labels().get(ContainerRuntime.LABEL_APP),
                        info.labels().get(LABEL_VOLUME)))
                .sorted(java.util.Comparator.comparing(OrphanedVolume::name))
                .toList();
    }
}
