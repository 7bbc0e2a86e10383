package io.ployer.engine.stack;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.application.Application;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.engine.compose.ComposeFile;
import io.ployer.engine.compose.ComposeFile.Condition;
import io.ployer.engine.compose.ComposeFile.Service;
import io.ployer.engine.compose.ComposeParser;
import io.ployer.engine.deploy.SourceCheckout;
import io.ployer.engine.deploy.StackDeployer;
import io.ployer.api.container.ContainerInfo;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.api.container.Endpoint;
import io.ployer.spi.runtime.ImageBuildSpec;
import io.ployer.spi.storage.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys a {@code compose} application through the container runtime (never {@code docker compose}):
 * reads the Compose file of the commit with the app's env values interpolated, builds every image
 * first (a service given by {@code image} is tagged for the deployment too, so a rollback runs the
 * very same images), then starts the services in dependency order on the app's network (each reachable
 * by its service name), waiting for each dependency's condition; the routed service publishes its port
 * and passes the app's health gate before the pipeline switches the route. The previous stack serves
 * until then and, once the new one is RUNNING, its other services are replaced ({@link #afterRunning}).
 */
public final class ComposeStack implements StackDeployer {
    private static final Logger LOG = LoggerFactory.getLogger(ComposeStack.class);

    private final Storage storage;
    private final List<Path> bindRoots;

    public ComposeStack(Storage storage, List<Path> bindRoots) {
        this.storage = storage;
        this.bindRoots = List.copyOf(bindRoots);
    }

    @Override
    public boolean handles(Application application) {
        return ComposeStrategy.NAME.equals(application.buildStrategy());
    }

    @Override
    public Started start(Application application, Run run) throws Exception {
        Deployment rollbackTarget = run.rollbackTarget();
        SourceCheckout.CheckedOut source;
        if (rollbackTarget == null) {
            run.move(DeploymentStatus.CLONING);
            source = run.checkout(application, run.deployment().commitSha());
            run.persist(run.deployment().withCommit(source.commitSha(), source.commitMessage()));
        } else {
            run.system("Rollback to deployment " + rollbackTarget.id() + ": the Compose file of commit "
                    + rollbackTarget.commitSha() + " with the images of that deployment, without building");
            source = run.checkout(application, rollbackTarget.commitSha());
        }
        Path root = source.directory();
        Path composeFile = StackPaths.composeFile(root, application.buildConfig().get(ComposeStrategy.FILE_KEY));
        Map<String, String> environment = run.environment(application.id(), false);
        ComposeFile file = ComposeParser.parse(Files.readString(composeFile), root.relativize(composeFile).toString(), environment);
        file.warnings().forEach(warning -> run.system("Warning: " + warning));
        List<StackRouting.Routed> routed = StackRouting.of(application, storage.domains().listByApplication(application.id()), file);
        Map<String, Integer> ports = new LinkedHashMap<>();
        routed.forEach(service -> ports.put(service.service(), service.port()));
        StackRouting.Routed routing = routed.get(0);
        run.system("Stack of " + file.services().size() + " services " + file.services().keySet() + "; routed: "
                + String.join(", ", routed.stream().map(service -> service.service() + " on port " + service.port()).toList()));
        ServiceSpecs specs = new ServiceSpecs(application, run.instanceId(), bindRoots);

        Map<String, String> images = rollbackTarget == null
                ? buildAll(application, run, file, specs, root, composeFile.getParent(), environment)
                : reuseImages(run, file, specs, rollbackTarget.imageRef());
        run.persist(run.deployment().withImage(images.get(routing.service())));

        run.move(DeploymentStatus.STARTING);
        ContainerRuntime runtime = run.runtime();
        specs.ensureNetworkAndVolumes(runtime, file);
        Map<String, Condition> awaited = awaitedConditions(file);
        // The app's volumes and configuration files go to the routed services (where the app itself runs).
        List<io.ployer.api.container.Mount> applicationMounts = run.applicationMounts(application);
        ServiceReadiness readiness = new ServiceReadiness(run);
        Map<String, String> routedContainers = new LinkedHashMap<>();
        for (String name : startOrder(file)) {
            Service service = file.services().get(name);
            int port = ports.getOrDefault(name, 0);
            String containerId = run.withTimeout(run.settings().startTimeout(), "start of " + name, () -> {
                String id = runtime.createContainer(specs.container(file, service, run.deployment(), images.get(name), port,
                        ServiceSpecs.environment(service, root, composeFile.getParent(), environment),
                        awaited.get(name) == Condition.SERVICE_COMPLETED_SUCCESSFULLY, port > 0 ? applicationMounts : List.of()));
                run.created(id);
                // The app's network is the container's only one (its port is published there too); it joins it again
                // with its service name as alias, which a container spec cannot name.
                runtime.disconnectNetwork(specs.network(), id);
                runtime.connectNetwork(specs.network(), id, List.of(name));
                runtime.startContainer(id);
                return id;
            });
            run.system("Started " + name + " (container " + containerId.substring(0, Math.min(12, containerId.length())) + ")");
            Condition condition = awaited.get(name);
            if (condition == Condition.SERVICE_COMPLETED_SUCCESSFULLY) {
                readiness.awaitCompleted(service, containerId);
            } else if (ServiceReadiness.hasHealthcheck(service)) {
                readiness.awaitHealthy(service, containerId);
            } else if (condition == Condition.SERVICE_HEALTHY) {
                throw new PloyerException(StandardErrorCode.BUILD_FAILURE, "a service depends on " + name
                        + " being healthy (condition: service_healthy), but " + name + " has no healthcheck");
            } else {
                readiness.requireRunning(service, containerId);
            }
            if (port > 0) {
                routedContainers.put(name, containerId);
            }
        }
        run.move(DeploymentStatus.HEALTH_CHECKING);
        // Every routed service passes the app's health gate before any route switches; one failing fails the deployment.
        Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        for (StackRouting.Routed service : routed) {
            String containerId = routedContainers.get(service.service());
            Endpoint endpoint = awaitEndpoint(run, containerId, service.service());
            if (routed.size() > 1) {
                run.system("Health check of the routed service " + service.service());
            }
            run.awaitHealthy(application, containerId, endpoint, service.port());
            endpoints.put(service.service(), endpoint);
        }
        Map<String, Endpoint> others = new LinkedHashMap<>(endpoints);
        others.remove(routing.service());
        return new Started(routedContainers.get(routing.service()), endpoints.get(routing.service()), images.get(routing.service()),
                routing.service(), others);
    }

    /** Builds every service's image before anything starts; a service given by {@code image} is tagged for this deployment. */
    private Map<String, String> buildAll(Application application, Run run, ComposeFile file, ServiceSpecs specs, Path root,
                                         Path fileDirectory, Map<String, String> environment) throws Exception {
        run.move(DeploymentStatus.BUILDING);
        String tag = ServiceSpecs.shortId(run.deployment().id());
        Map<String, String> images = new LinkedHashMap<>();
        Map<String, String> buildEnvironment = run.environment(application.id(), true);
        ContainerRuntime runtime = run.runtime();
        Path scratch = Files.createTempDirectory("ployer-stack-");
        try {
            run.build(() -> {
                for (Service service : file.services().values()) {
                    String image = specs.imageTag(service.name(), tag);
                    ImageBuildSpec spec;
                    if (service.build() != null) {
                        Path context = StackPaths.inside(root, fileDirectory, service.build().context(), "services." + service.name()
                                + ".build.context");
                        Path dockerfile = StackPaths.inside(root, context, service.build().dockerfile(), "services."
                                + service.name() + ".build.dockerfile");
                        if (!Files.isRegularFile(dockerfile)) {
                            throw StackPaths.failure("there is no Dockerfile at " + root.relativize(dockerfile) + " for the service "
                                    + service.name());
                        }
                        Map<String, String> args = new LinkedHashMap<>();
                        service.build().args().forEach((key, value) -> {
                            String resolved = value != null ? value : buildEnvironment.get(key);
                            if (resolved != null) {
                                args.put(key, resolved);
                            }
                        });
                        run.system("Building " + service.name() + " as " + image);
                        spec = new ImageBuildSpec(context, context.relativize(dockerfile).toString(), image, args, specs.baseLabels());
                    } else {
                        if (!runtime.imageExists(service.image())) {
                            run.system("Pulling " + service.image() + " for " + service.name());
                            runtime.pullImage(service.image(), run.stream("build"), run.cancellation());
                        }
                        Path directory = Files.createDirectories(scratch.resolve(service.name()));
                        Files.writeString(directory.resolve("Dockerfile"), "FROM " + service.image() + "\n");
                        run.system("Tagging " + service.image() + " as " + image + " for " + service.name());
                        spec = new ImageBuildSpec(directory, "Dockerfile", image, Map.of(), specs.baseLabels());
                    }
                    runtime.buildImage(spec, run.stream("build"), run.cancellation());
                    run.built(image);
                    images.put(service.name(), image);
                }
                return null;
            });
        } finally {
            deleteQuietly(scratch);
        }
        return images;
    }

    private Map<String, String> reuseImages(Run run, ComposeFile file, ServiceSpecs specs, String targetImage) {
        String tag = ServiceSpecs.tagOf(targetImage);
        Map<String, String> images = new LinkedHashMap<>();
        for (String service : file.services().keySet()) {
            String image = specs.imageTag(service, tag);
            if (!run.runtime().imageExists(image)) {
                throw new PloyerException(StandardErrorCode.INVALID_STATE, "the image " + image + " of the service " + service
                        + " was pruned; the stack cannot be rolled back to that deployment");
            }
            images.put(service, image);
        }
        return images;
    }

    /** Services in an order where each comes after what it depends on (the file's order otherwise). */
    static List<String> startOrder(ComposeFile file) {
        List<String> order = new ArrayList<>();
        Set<String> placed = new LinkedHashSet<>();
        for (String name : file.services().keySet()) {
            place(name, file, placed, order);
        }
        return order;
    }

    private static void place(String name, ComposeFile file, Set<String> placed, List<String> order) {
        if (!placed.add(name)) {
            return;
        }
        for (String dependency : file.services().get(name).dependsOn().keySet()) {
            place(dependency, file, placed, order);
        }
        order.add(name);
    }

    /** The strongest condition any dependant waits for, per service. */
    static Map<String, Condition> awaitedConditions(ComposeFile file) {
        Map<String, Condition> awaited = new LinkedHashMap<>();
        for (Service service : file.services().values()) {
            service.dependsOn().forEach((dependency, condition) -> awaited.merge(dependency, condition,
                    (first, second) -> first.ordinal() >= second.ordinal() ? first : second));
        }
        return awaited;
    }

    private static Endpoint awaitEndpoint(Run run, String containerId, String service) throws InterruptedException {
        while (true) {
            ContainerInfo info = run.runtime().inspectContainer(containerId).orElseThrow(() -> new PloyerException(
                    StandardErrorCode.RUNTIME_FAILURE, "the container of the service " + service + " vanished"));
            if (info.publishedEndpoint().isPresent()) {
                return info.publishedEndpoint().get();
            }
            if (!info.running()) {
                throw new PloyerException(StandardErrorCode.RUNTIME_FAILURE, "the service " + service + " exited before it answered");
            }
            if (run.pause(Duration.ofMillis(20))) {
                throw run.cancelled();
            }
        }
    }

    @Override
    public void afterRunning(Application application, Run run) {
        for (Deployment previous : run.previous()) {
            try {
                for (ContainerInfo container : run.runtime().listContainers(Map.of(ContainerRuntime.LABEL_APP, application.id(),
                        ContainerRuntime.LABEL_DEPLOYMENT, previous.id()), true)) {
                    if (container.id().equals(previous.containerId())
                            || "true".equals(container.labels().get(StackDeployer.LABEL_ROUTED))) {
                        continue; // routed containers drain like a single app's
                    }
                    run.runtime().stopContainer(container.id(), run.settings().stopTimeout());
                    run.runtime().removeContainer(container.id(), true);
                    run.system("Replaced " + container.labels().getOrDefault(ServiceSpecs.LABEL_SERVICE, container.name())
                            + " of deployment " + previous.id());
                }
            } catch (RuntimeException e) {
                LOG.warn("could not remove the previous services of deployment {}: {}", previous.id(), e.getMessage());
            }
        }
        pruneImages(application, run);
    }

    /**
     * Removes the images of every service of deployments past {@code deploy.keep-images} (the pipeline prunes
     * only the routed service's, the deployment's image); a rollback target within the limit keeps them all.
     */
    private void pruneImages(Application application, Run run) {
        Set<String> kept = new java.util.HashSet<>();
        Set<String> keptImages = new java.util.HashSet<>();
        for (Deployment deployment : storage.deployments().list(new io.ployer.api.deployment.DeploymentQuery(application.id(), null,
                0, 500))) {
            if (deployment.imageRef() == null) {
                continue;
            }
            boolean successful = deployment.status() == DeploymentStatus.RUNNING || deployment.status() == DeploymentStatus.SUPERSEDED;
            if (deployment.status().isActive() || (successful && keptImages.size() < run.settings().keepImages())) {
                keptImages.add(deployment.imageRef());
                kept.add(ServiceSpecs.tagOf(deployment.imageRef()));
            }
        }
        String prefix = "ployer/" + application.name() + "-";
        try {
            for (io.ployer.spi.runtime.ImageInfo image : run.runtime().listImages(Map.of(ContainerRuntime.LABEL_APP, application.id()))) {
                for (String tag : image.tags()) {
                    if (tag.startsWith(prefix) && !kept.contains(ServiceSpecs.tagOf(tag))) {
                        run.runtime().removeImage(tag);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("could not prune the stack images of application {}: {}", application.id(), e.getMessage());
        }
    }

    private static void deleteQuietly(Path directory) {
        try (var paths = Files.walk(directory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.debug("could not delete {}: {}", directory, e.getMessage());
        }
    }
}
