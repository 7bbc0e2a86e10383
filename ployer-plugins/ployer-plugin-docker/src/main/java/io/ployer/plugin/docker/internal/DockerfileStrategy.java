package io.ployer.plugin.docker.internal;

import io.ployer.api.PloyerException;
import io.ployer.spi.plugin.Cancellation;
import io.ployer.spi.build.BuildOutcome;
import io.ployer.spi.build.BuildRequest;
import io.ployer.spi.build.BuildStrategy;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.runtime.ImageBuildSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** Builds the repository's Dockerfile. Config: {@code dockerfile} (default {@code Dockerfile}), {@code context} (default {@code .}). */
public final class DockerfileStrategy implements BuildStrategy {
    static final Set<String> KEYS = Set.of("dockerfile", "context");

    @Override
    public Set<String> configKeys() {
        return KEYS;
    }

    @Override
    public void validate(Map<String, String> buildConfig) {
        buildConfig.forEach(SourcePaths::validate);
    }

    @Override
    public BuildOutcome build(BuildRequest request, ContainerRuntime runtime, Consumer<String> log, Cancellation cancellation) {
        Path source = request.sourceDirectory();
        Path context = SourcePaths.resolve(source, "context", request.buildConfig().getOrDefault("context", "."));
        Path dockerfile = SourcePaths.resolve(source, "dockerfile", request.buildConfig().getOrDefault("dockerfile", "Dockerfile"));
        if (!Files.isDirectory(context)) {
            return new BuildOutcome.Failed("the build context " + source.relativize(context) + " is not a directory in the repository");
        }
        if (!Files.isRegularFile(dockerfile)) {
            return new BuildOutcome.Failed("there is no Dockerfile at " + source.relativize(dockerfile) + " in the repository");
        }
        if (!dockerfile.startsWith(context)) {
            return new BuildOutcome.Failed("the Dockerfile must be inside the build context");
        }
        try {
            runtime.buildImage(new ImageBuildSpec(context, context.relativize(dockerfile).toString(), request.imageTag(),
                    request.buildArgs(), request.labels()), log, cancellation);
            return new BuildOutcome.Built(request.imageTag());
        } catch (PloyerException e) {
            if (e.code() == io.ployer.api.StandardErrorCode.BUILD_FAILURE) {
                return new BuildOutcome.Failed(e.getMessage());
            }
            throw e;
        }
    }
}
