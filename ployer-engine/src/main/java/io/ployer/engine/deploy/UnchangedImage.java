package io.ployer.engine.deploy;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.application.Application;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.spi.storage.Storage;
import java.util.EnumSet;
import java.util.Optional;

/**
 * A redeploy of a prebuilt image whose reference still resolves to the digest that is already running:
 * there is nothing to switch to, so the deployment ends CANCELLED with this sentence and the running
 * one keeps serving. The build config's {@code always_switch=true} switches anyway.
 */
final class UnchangedImage extends PloyerException {
    static final String ALWAYS_SWITCH = "always_switch";

    private UnchangedImage(String message) {
        super(StandardErrorCode.CANCELLED, message);
    }

    /** Throws when {@code deployment} (just built, digest recorded) would run the digest already running. */
    static void check(Storage storage, Application application, Deployment deployment) {
        String digest = deployment.imageDigest();
        if (digest == null || deployment.rollbackOf() != null
                || "true".equals(application.buildConfig().get(ALWAYS_SWITCH))) {
            return;
        }
        Optional<Deployment> running = storage.deployments().findByApplicationAndStatus(application.id(),
                EnumSet.of(DeploymentStatus.RUNNING)).stream().filter(other -> !other.id().equals(deployment.id())).findFirst();
        if (running.isPresent() && digest.equals(running.get().imageDigest())) {
            throw new UnchangedImage("The image " + application.buildConfig().get("image") + " still resolves to " + digest
                    + ", which deployment " + running.get().id() + " already runs; nothing to switch (set build_config."
                    + ALWAYS_SWITCH + " to true to switch anyway).");
        }
    }
}
