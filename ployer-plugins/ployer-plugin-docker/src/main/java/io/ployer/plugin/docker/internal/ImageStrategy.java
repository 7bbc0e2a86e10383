package io.ployer.plugin.docker.internal;

import io.ployer.api.PloyerException;
import io.ployer.spi.Cancellation;
import io.ployer.spi.build.BuildOutcome;
import io.ployer.spi.build.BuildRequest;
import io.ployer.spi.build.BuildStrategy;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.runtime.ImageBuildSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Deploys an image that is already on the host (config {@code image}). The image is re-tagged as
 * the deployment's own image through a one-line build ({@code FROM <image>}, never pulled) so
 * labels, rollback and pruning treat it like any other.
 */
public final class ImageStrategy implements BuildStrategy {
    static final Set<String> KEYS = Set.of("image");
    private static final Pattern REFERENCE = Pattern.compile(
            "[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?");

    @Override
    public boolean needsSource() {
        return false;
    }

    @Override
    public Set<String> configKeys() {
        return KEYS;
    }

    @Override
    public void validate(Map<String, String> buildConfig) {
        String image = buildConfig.get("image");
        if (image == null || image.isBlank()) {
            throw PloyerException.invalid("build_config.image", "is required by the image strategy");
        }
        if (image.length() > 255 || !REFERENCE.matcher(image).matches()) {
            throw PloyerException.invalid("build_config.image", "must be an image reference such as nginx:1.27 or registry.example.com/team/app:tag");
        }
    }

    @Override
    public BuildOutcome build(BuildRequest request, ContainerRuntime runtime, Consumer<String> log, Cancellation cancellation) {
        String image = request.buildConfig().get("image");
        if (!runtime.imageExists(image)) {
            return new BuildOutcome.Failed("the image " + image + " is not present on this host, and Ployer does not pull images; "
                    + "load it first (docker load / docker pull)");
        }
        Path context = null;
        try {
            context = Files.createTempDirectory("ployer-image-");
            Files.writeString(context.resolve("Dockerfile"), "FROM " + image + "\n");
            log.accept("Using image " + image);
            runtime.buildImage(new ImageBuildSpec(context, "Dockerfile", request.imageTag(), Map.of(), request.labels()), log,
                    cancellation);
            return new BuildOutcome.Built(request.imageTag());
        } catch (IOException e) {
            throw new PloyerException(io.ployer.api.StandardErrorCode.INTERNAL_ERROR, "cannot prepare a build context", e);
        } finally {
            StaticSiteStrategy.deleteQuietly(context);
        }
    }
}
