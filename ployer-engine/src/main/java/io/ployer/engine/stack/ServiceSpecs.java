package io.ployer.engine.stack;

import io.ployer.api.application.Application;
import io.ployer.api.application.ResourceLimits;
import io.ployer.api.application.RestartPolicy;
import io.ployer.api.deployment.Deployment;
import io.ployer.engine.application.ApplicationVolumes;
import io.ployer.engine.compose.ComposeFile;
import io.ployer.engine.compose.ComposeFile.Service;
import io.ployer.engine.deploy.StackDeployer;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.runtime.ContainerSpec;
import io.ployer.api.container.Mount;
import io.ployer.api.container.VolumeInfo;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How a Compose service becomes a container: its name, image tag, labels, environment, mounts,
 * limits and restart policy, and the stack's network and volumes on the runtime.
 */
final class ServiceSpecs {
    /** Label naming the Compose service of a container. */
    static final String LABEL_SERVICE = StackDeployer.LABEL_SERVICE;

    private final Application application;
    private final String instanceId;
    private final List<Path> bindRoots;

    ServiceSpecs(Application application, String instanceId, List<Path> bindRoots) {
        this.application = application;
        this.instanceId = instanceId;
        this.bindRoots = bindRoots;
    }

    static String shortId(String deploymentId) {
        return deploymentId.replace("-", "").substring(0, 12);
    }

    /** The image of a service in a deployment whose images carry {@code tag}. */
    String imageTag(String service, String tag) {
        return "ployer/" + application.name() + "-" + service.toLowerCase(Locale.ROOT) + ":" + tag;
    }

    /** The tag part of an image reference made by {@link #imageTag}. */
    static String tagOf(String imageRef) {
        return imageRef.substring(imageRef.lastIndexOf(':') + 1);
    }

    String network() {
        return "ployer-" + application.name();
    }

    Map<String, String> baseLabels() {
        Map<String, String> labels = new HashMap<>();
        labels.put(ContainerRuntime.LABEL_MANAGED, "true");
        labels.put(ContainerRuntime.LABEL_INSTANCE, instanceId);
        labels.put(ContainerRuntime.LABEL_APP, application.id());
        return labels;
    }

    /** Creates the per-app network and the declared named volumes that do not exist yet. */
    void ensureNetworkAndVolumes(ContainerRuntime runtime, ComposeFile file) {
        if (runtime.listNetworks().stream().noneMatch(network -> network.name().equals(network()))) {
            runtime.createNetwork(network(), baseLabels());
        }
        Set<String> existing = runtime.listVolumes().stream().map(VolumeInfo::name).collect(Collectors.toSet());
        for (Map.Entry<String, ComposeFile.NamedVolume> volume : file.volumes().entrySet()) {
            String name = volumeName(file, volume.getKey());
            if (!volume.getValue().external() && !existing.contains(name)) {
                Map<String, String> labels = baseLabels();
                labels.putAll(volume.getValue().labels());
                labels.put(ApplicationVolumes.LABEL_VOLUME, volume.getKey());
                labels.put(ApplicationVolumes.LABEL_STACK, "true");
                runtime.createVolume(name, labels);
            } else if (volume.getValue().external() && !existing.contains(name)) {
                throw StackPaths.failure("the external volume " + name + " does not exist on this host");
            }
        }
    }

    private String volumeName(ComposeFile file, String key) {
        ComposeFile.NamedVolume volume = file.volumes().get(key);
        return volume.external() ? volume.name() : ApplicationVolumes.runtimeName(application.name(), volume.name());
    }

    /**
     * The container of {@code service} in {@code deployment}, publishing {@code port} (0: none); a {@code oneOff}
     * service (awaited to complete) is not restarted unless its {@code restart} says so; {@code extra} are mounts of the
     * application's own (its volumes and configuration files), after the service's.
     */
    ContainerSpec container(ComposeFile file, Service service, Deployment deployment, String image, int port,
                            Map<String, String> environment, boolean oneOff, List<Mount> extra) {
        Map<String, String> labels = new LinkedHashMap<>();
        service.labels().forEach((key, value) -> {
            if (!key.startsWith("io.ployer.")) {
                labels.put(key, value);
            }
        });
        labels.putAll(baseLabels());
        labels.put(ContainerRuntime.LABEL_DEPLOYMENT, deployment.id());
        labels.put(LABEL_SERVICE, service.name());
        if (port > 0) {
            labels.put(StackDeployer.LABEL_ROUTED, "true");
        }
        return new ContainerSpec("ployer-" + application.name() + "-" + service.name().toLowerCase(Locale.ROOT) + "-"
                + shortId(deployment.id()), image, environment, port, labels, limits(service),
                oneOff && service.restart() == null ? RestartPolicy.NO : restart(service),
                service.command(), network(), withExtra(service, mounts(file, service), extra), service.entrypoint());
    }

    /** The service's mounts and the application's; both mounting at one path is refused, naming the path. */
    private static List<Mount> withExtra(Service service, List<Mount> own, List<Mount> extra) {
        if (extra.isEmpty()) {
            return own;
        }
        Set<String> targets = own.stream().map(Mount::target).collect(Collectors.toSet());
        for (Mount mount : extra) {
            if (targets.contains(mount.target())) {
                throw StackPaths.failure("the service " + service.name() + " mounts " + mount.target() + " in the Compose file, "
                        + "where an application volume or configuration file is mounted too; change one of the paths");
            }
        }
        return java.util.stream.Stream.concat(own.stream(), extra.stream()).toList();
    }

    private ResourceLimits limits(Service service) {
        if (service.limits() == null) {
            return application.limits();
        }
        return new ResourceLimits(service.limits().memoryBytes(), service.limits().cpus(), null, service.limits().pids());
    }

    private static RestartPolicy restart(Service service) {
        if (service.restart() == null) {
            return RestartPolicy.UNLESS_STOPPED;
        }
        return switch (service.restart()) {
            case "no" -> RestartPolicy.NO;
            case "always" -> RestartPolicy.ALWAYS;
            case "unless-stopped" -> RestartPolicy.UNLESS_STOPPED;
            default -> RestartPolicy.ON_FAILURE;
        };
    }

    private List<Mount> mounts(ComposeFile file, Service service) {
        return service.volumes().stream().map(mount -> switch (mount.kind()) {
            case VOLUME -> new Mount(volumeName(file, mount.source()), mount.target(), false, mount.readOnly());
            case ANONYMOUS -> new Mount(ApplicationVolumes.runtimeName(application.name(), service.name().toLowerCase(Locale.ROOT)
                    + mount.target().replaceAll("[^a-zA-Z0-9_.-]", "_")), mount.target(), false, mount.readOnly());
            case BIND -> new Mount(bindSource(service, mount.source()), mount.target(), true, mount.readOnly());
        }).toList();
    }

    /** A bind mount's host path: absolute, under one of volumes.bind-roots, an existing directory (as for single apps). */
    private String bindSource(Service service, String source) {
        String what = "services." + service.name() + ".volumes: the bind mount " + source;
        if (bindRoots.isEmpty()) {
            throw StackPaths.failure(what + " is refused: bind mounts are disabled on this server (no volumes.bind-roots "
                    + "configured); use a named volume");
        }
        Path path;
        try {
            path = Path.of(source);
        } catch (InvalidPathException e) {
            throw StackPaths.failure(what + " is not a valid host path");
        }
        if (!path.isAbsolute() || source.contains("..")) {
            throw StackPaths.failure(what + " must be an absolute host path without '..' (the checkout is not kept, so a "
                    + "relative path has nothing to point at)");
        }
        Path normalised = path.normalize();
        if (bindRoots.stream().noneMatch(normalised::startsWith)) {
            throw StackPaths.failure(what + " must lie under one of the allowed roots " + bindRoots + " (volumes.bind-roots)");
        }
        if (!Files.isDirectory(normalised)) {
            throw StackPaths.failure(what + " must be an existing directory on the host");
        }
        return normalised.toString();
    }

    /**
     * A service's environment: the file's {@code env_file}s, then its {@code environment} (a bare key takes the
     * app's value), then the app's env vars, which every service gets and which win (the operator's settings).
     */
    static Map<String, String> environment(Service service, Path root, Path fileDirectory, Map<String, String> appEnvironment) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (String envFile : service.envFiles()) {
            environment.putAll(StackPaths.envFile(StackPaths.inside(root, fileDirectory, envFile, "the env_file"), envFile));
        }
        service.environment().forEach((key, value) -> {
            String resolved = value != null ? value : appEnvironment.get(key);
            if (resolved != null) {
                environment.put(key, resolved);
            }
        });
        environment.putAll(appEnvironment);
        return environment;
    }
}
