package io.ployer.engine.deploy;

import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentQuery;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.storage.Storage;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the images of an application's last {@code keepImages} successful deployments (for rollback
 * without rebuilding) and of every active one; removes older successful ones. Failed builds' images
 * are removed by the run that made them.
 */
final class ImageRetention {
    private static final Logger LOG = LoggerFactory.getLogger(ImageRetention.class);

    private final Storage storage;
    private final Optional<ContainerRuntime> runtime;
    private final int keepImages;

    ImageRetention(Storage storage, Optional<ContainerRuntime> runtime, int keepImages) {
        this.storage = storage;
        this.runtime = runtime;
        this.keepImages = keepImages;
    }

    /** The images to remove, newest deployment first: what {@link #prune} removes. */
    Set<String> surplus(String applicationId) {
        List<Deployment> history = storage.deployments().list(new DeploymentQuery(applicationId, null, 0, 500));
        Set<String> kept = new LinkedHashSet<>();
        Set<String> candidates = new LinkedHashSet<>();
        for (Deployment deployment : history) {
            if (deployment.imageRef() == null) {
                continue;
            }
            boolean successful = deployment.status() == DeploymentStatus.RUNNING || deployment.status() == DeploymentStatus.SUPERSEDED;
            if (deployment.status().isActive() || (successful && kept.size() < keepImages)) {
                kept.add(deployment.imageRef());
            } else if (successful) {
                candidates.add(deployment.imageRef());
            }
        }
        candidates.removeAll(kept);
        return candidates;
    }

    void prune(String applicationId) {
        ContainerRuntime containerRuntime = runtime.orElse(null);
        if (containerRuntime == null) {
            return;
        }
        for (String image : surplus(applicationId)) {
            try {
                containerRuntime.removeImage(image);
            } catch (RuntimeException e) {
                LOG.debug("image {} not pruned: {}", image, e.getMessage());
            }
        }
    }
}
