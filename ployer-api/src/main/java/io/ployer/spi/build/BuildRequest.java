package io.ployer.spi.build;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * One build.
 *
 * @param applicationId   the application
 * @param deploymentId    the deployment
 * @param sourceDirectory the checked-out tree, or {@code null} when the strategy needs no source
 * @param buildConfig     the application's build config
 * @param buildArgs       env vars flagged for build time (secret: never log them)
 * @param imageTag        the reference to tag the image with
 * @param labels          labels to put on the image
 */
public record BuildRequest(String applicationId, String deploymentId, Path sourceDirectory,
                           Map<String, String> buildConfig, Map<String, String> buildArgs, String imageTag,
                           Map<String, String> labels) {
    public BuildRequest {
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(deploymentId, "deploymentId");
        buildConfig = Map.copyOf(buildConfig == null ? Map.of() : buildConfig);
        buildArgs = Map.copyOf(buildArgs == null ? Map.of() : buildArgs);
        Objects.requireNonNull(imageTag, "imageTag");
        labels = Map.copyOf(labels == null ? Map.of() : labels);
    }

    @Override
    public String toString() {
        return "BuildRequest[applicationId=" + applicationId + ", deploymentId=" + deploymentId + ", source="
                + sourceDirectory + ", buildConfig=" + buildConfig + ", buildArgs=" + buildArgs.keySet()
                + ", imageTag=" + imageTag + "]";
    }
}
