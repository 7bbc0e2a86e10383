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
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Deploys a prebuilt image (config {@code image}). Every deployment pulls it from its registry, with
 * the credentials the runtime is configured with, so a moved tag deploys its new content; when the
 * pull fails but the host already holds the image (loaded or built locally) that copy is used and the
 * log says why. The image is then re-tagged as the deployment's own image through a one-line build
 * ({@code FROM <image>}, no further pull; with config {@code command}, a JSON array, as its {@code CMD}) so labels, rollback and pruning treat it like any other.
 * The outcome names the registry digest the reference resolved to; the engine records it and, unless
 * {@code always_switch=true}, does not switch when that digest is already the one running.
 */
public final class ImageStrategy implements BuildStrategy {
    static final Set<String> KEYS = Set.of("image", "always_switch", "command");
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
        String command = buildConfig.get("command");
        if (command != null && (!command.startsWith("[\"") || !command.endsWith("\"]") || command.length() > 4096
                || command.chars().anyMatch(c -> c < 0x20))) {
            throw PloyerException.invalid("build_config.command", "must be a JSON array of strings on one line, such as"
                    + " [\"caddy\", \"file-server\"]");
        }
        String alwaysSwitch = buildConfig.get("always_switch");
        if (alwaysSwitch != null && !alwaysSwitch.equals("true") && !alwaysSwitch.equals("false")) {
            throw PloyerException.invalid("build_config.always_switch", "must be true or false");
        }
    }

    /** The digest the reference resolved to: the one it names, else the registry's (null for a local-only image). */
    private static String digestOf(String image, ContainerRuntime runtime) {
        int at = image.indexOf("@sha256:");
        if (at > 0) {
            return image.substring(at + 1);
        }
        return runtime.imageDigest(image).orElse(null);
    }

    @Override
    public BuildOutcome build(BuildRequest request, ContainerRuntime runtime, Consumer<String> log, Cancellation cancellation) {
        String image = request.buildConfig().get("image");
        try {
            runtime.pullImage(image, log, cancellation);
        } catch (PloyerException e) {
            if (e.code() == StandardErrorCode.CANCELLED || cancellation.isCancelled() || !runtime.imageExists(image)) {
                throw e;
            }
            // An image loaded on this host (docker load, a local build) need not come from a registry.
            log.accept(e.getMessage() + " Using the copy already on this host.");
        }
        String digest = digestOf(image, runtime);
        if (digest != null) {
            log.accept(image + " resolved to " + digest);
        }
        Path context = null;
        try {
            context = Files.createTempDirectory("ployer-image-");
            String command = request.buildConfig().get("command");
            // The command (a JSON array, checked to be one line) becomes the image's CMD.
            Files.writeString(context.resolve("Dockerfile"), "FROM " + image + "\n" + (command == null ? "" : "CMD " + command + "\n"));
            log.accept("Using image " + image);
            runtime.buildImage(new ImageBuildSpec(context, "Dockerfile", request.imageTag(), Map.of(), request.labels()), log,
                    cancellation);
            return new BuildOutcome.Built(request.imageTag(), digest);
        } catch (IOException e) {
            throw new PloyerException(StandardErrorCode.INTERNAL_ERROR, "cannot prepare a build context", e);
        } finally {
            StaticSiteStrategy.deleteQuietly(context);
        }
    }
}
