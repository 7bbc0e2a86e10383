package io.ployer.engine.deploy;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.application.Application;
import io.ployer.api.application.Volume;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.engine.application.ApplicationVolumes;
import io.ployer.api.container.ContainerInfo;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.runtime.ContainerSpec;
import io.ployer.api.container.Endpoint;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The STARTING step of a run: volumes, the container, and the endpoint it publishes. */
final class ContainerStart {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerStart.class);

    private final PipelineContext context;
    private final DeploymentRun run;

    ContainerStart(PipelineContext context, DeploymentRun run) {
        this.context = context;
        this.run = run;
    }

    Endpoint start(Application application, ContainerRuntime containerRuntime, String image) throws InterruptedException {
        List<Volume> volumes = ApplicationVolumes.of(context.storage(), application.id());
        ApplicationVolumes.ensureCreated(containerRuntime, application, volumes, context.instanceId());
        if (volumes.stream().anyMatch(Volume::exclusive)) {
            stopForExclusiveVolume(application, containerRuntime);
        }
        ContainerSpec spec = new ContainerSpec(ContainerNaming.containerName(application, run.deployment), image,
                run.secrets.environment(false), application.port(),
                ContainerNaming.containerLabels(context.instanceId(), application, run.deployment), application.limits(),
                application.restartPolicy(), List.of(), null,
                java.util.stream.Stream.concat(ApplicationVolumes.mounts(volumes).stream(),
                        run.hooks.extraMounts(application, run.deployment).stream()).toList());
        String containerId = containerRuntime.createContainer(spec);
        run.createdContainer = containerId;
        run.persist(run.deployment.withContainer(containerId, null));
        containerRuntime.startContainer(containerId);
        Endpoint endpoint = awaitEndpoint(containerRuntime, containerId, application.port());
        run.persist(run.deployment.withContainer(containerId, endpoint.address()));
        run.log.system("Started container " + ContainerNaming.shortId(containerId) + " answering on " + endpoint.address());
        return endpoint;
    }

    /**
     * An exclusive volume may be used by one container at a time: the serving containers stop before
     * the new one starts (the one switch with a gap). A failed run starts them again ({@link RunEnding}).
     */
    private void stopForExclusiveVolume(Application application, ContainerRuntime containerRuntime) {
        for (Deployment old : context.storage().deployments().findByApplicationAndStatus(application.id(),
                EnumSet.of(DeploymentStatus.RUNNING))) {
            if (old.containerId() == null) {
                continue;
            }
            run.log.system("An exclusive volume is mounted: stopping container " + ContainerNaming.shortId(old.containerId())
                    + " before the new one starts (the app is unavailable until the new container is healthy)");
            containerRuntime.stopContainer(old.containerId(), context.settings().stopTimeout());
            run.stoppedForExclusive.add(old.containerId());
        }
    }

    /** The failure message for a container that exited: OOM kills are named as such. */
    static String exitedMessage(ContainerInfo info, String when) {
        if (info.oomKilled()) {
            return "the container was killed because it ran out of memory (OOM-killed at its memory limit) " + when;
        }
        return "the container exited" + (info.exitCode() == null ? "" : " with code " + info.exitCode()) + " " + when;
    }

    /** Waits until the started container publishes its port, failing as soon as it has exited. */
    private Endpoint awaitEndpoint(ContainerRuntime containerRuntime, String containerId, int port) throws InterruptedException {
        while (true) {
            ContainerInfo info = containerRuntime.inspectContainer(containerId).orElseThrow(() ->
                    new PloyerException(StandardErrorCode.RUNTIME_FAILURE, "the container vanished right after it started"));
            if (info.crashed()) {
                containerRuntime.logs(containerId, 20).forEach(line -> run.log.write("container", line));
                throw new PloyerException(StandardErrorCode.RUNTIME_FAILURE,
                        exitedMessage(info, "right after it started (its last output is in the log)"));
            }
            if (info.publishedEndpoint().isPresent()) {
                return info.publishedEndpoint().get();
            }
            // Docker fills in the published port a moment after start; the start timeout bounds this wait.
            if (run.token.await(Duration.ofMillis(20))) {
                throw run.cancelled();
            }
            LOG.debug("waiting for the published port {} of container {}", port, ContainerNaming.shortId(containerId));
        }
    }
}
