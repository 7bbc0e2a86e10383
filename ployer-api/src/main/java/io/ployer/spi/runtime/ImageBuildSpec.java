package io.ployer.spi.runtime;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What to build.
 *
 * @param contextDirectory the build context
 * @param dockerfile       Dockerfile path relative to the context
 * @param tag              image reference to tag the result with
 * @param buildArgs        build arguments (may hold secrets: never logged)
 * @param labels           labels to put on the image
 */
public record ImageBuildSpec(Path contextDirectory, String dockerfile, String tag, Map<String, String> buildArgs,
                             Map<String, String> labels) {
    public ImageBuildSpec {
        Objects.requireNonNull(contextDirectory, "contextDirectory");
        dockerfile = dockerfile == null ? "Dockerfile" : dockerfile;
        Objects.requireNonNull(tag, "tag");
        buildArgs = Map.copyOf(buildArgs == null ? Map.of() : buildArgs);
        labels = Map.copyOf(labels == null ? Map.of() : labels);
    }

    @Override
    public String toString() {
        return "ImageBuildSpec[context=" + contextDirectory + ", dockerfile=" + dockerfile + ", tag=" + tag
                + ", buildArgs=" + buildArgs.keySet() + ", labels=" + labels + "]";
    }
}
