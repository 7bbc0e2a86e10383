package io.ployer.plugin.docker.internal;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.spi.plugin.Cancellation;
import io.ployer.spi.build.BuildOutcome;
import io.ployer.spi.build.BuildRequest;
import io.ployer.spi.build.BuildStrategy;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.runtime.ImageBuildSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Serves a directory of the repository with Caddy's file server. Config: {@code directory}
 * (default {@code .}), {@code base-image} (default {@code ployer/caddy-static:latest}, an image with
 * {@code caddy} on its path), {@code port} (default 8080; the application's port must match).
 * The Dockerfile is generated and shown in the log.
 */
public final class StaticSiteStrategy implements BuildStrategy {
    static final Set<String> KEYS = Set.of("directory", "base-image", "port");
    static final String DEFAULT_BASE_IMAGE = "ployer/caddy-static:latest";

    private final String defaultBaseImage;

    public StaticSiteStrategy(String defaultBaseImage) {
        this.defaultBaseImage = defaultBaseImage;
    }

    @Override
    public Set<String> configKeys() {
        return KEYS;
    }

    @Override
    public void validate(Map<String, String> buildConfig) {
        if (buildConfig.containsKey("directory")) {
            SourcePaths.validate("directory", buildConfig.get("directory"));
        }
        if (buildConfig.containsKey("base-image")) {
            new ImageStrategy().validate(Map.of("image", buildConfig.get("base-image")));
        }
        if (buildConfig.containsKey("port")) {
            try {
                int port = Integer.parseInt(buildConfig.get("port"));
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw PloyerException.invalid("build_config.port", "must be a port within 1..65535");
            }
        }
    }

    @Override
    public BuildOutcome build(BuildRequest request, ContainerRuntime runtime, Consumer<String> log, Cancellation cancellation) {
        Path site = SourcePaths.resolve(request.sourceDirectory(), "directory", request.buildConfig().getOrDefault("directory", "."));
        if (!Files.isDirectory(site)) {
            return new BuildOutcome.Failed("the directory " + request.buildConfig().getOrDefault("directory", ".")
                    + " does not exist in the repository");
        }
        String baseImage = request.buildConfig().getOrDefault("base-image", defaultBaseImage);
        String port = request.buildConfig().getOrDefault("port", "8080");
        String dockerfile = "FROM " + baseImage + "\n"
                + "COPY site /srv\n"
                + "EXPOSE " + port + "\n"
                + "CMD [\"caddy\", \"file-server\", \"--root\", \"/srv\", \"--listen\", \":" + port + "\"]\n";
        Path context = null;
        try {
            context = Files.createTempDirectory("ployer-static-");
            copyTree(site, context.resolve("site"));
            Files.writeString(context.resolve("Dockerfile"), dockerfile);
            log.accept("Generated Dockerfile:");
            dockerfile.lines().forEach(line -> log.accept("  " + line));
            runtime.buildImage(new ImageBuildSpec(context, "Dockerfile", request.imageTag(), Map.of(), request.labels()), log,
                    cancellation);
            return new BuildOutcome.Built(request.imageTag());
        } catch (PloyerException e) {
            if (e.code() == StandardErrorCode.BUILD_FAILURE) {
                return new BuildOutcome.Failed(e.getMessage());
            }
            throw e;
        } catch (IOException e) {
            throw new PloyerException(StandardErrorCode.INTERNAL_ERROR, "cannot prepare the static site build context", e);
        } finally {
            deleteQuietly(context);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path relative = from.relativize(path);
                if (relative.startsWith(".git")) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else if (Files.isRegularFile(path)) {
                    Files.createDirectories(target.getParent());
                    Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static void deleteQuietly(Path directory) {
        if (directory == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
