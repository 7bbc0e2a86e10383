package io.ployer.engine.stack;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.spi.plugin.Cancellation;
import io.ployer.spi.build.BuildOutcome;
import io.ployer.spi.build.BuildRequest;
import io.ployer.spi.build.BuildStrategy;
import io.ployer.spi.runtime.ContainerRuntime;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The application kind {@code compose}: the repository holds a Compose file ({@code compose_file},
 * default the first of {@code compose.yaml}, {@code compose.yml}, {@code docker-compose.yml},
 * {@code docker-compose.yaml}) and {@link ComposeStack} deploys its services. Offered among the build
 * strategies so an application chooses it like any other ({@code build_strategy: compose}); it never
 * builds by itself.
 */
public final class ComposeStrategy implements BuildStrategy {
    /** Its name, the value of {@code build_strategy}. */
    public static final String NAME = "compose";
    /** The configuration key naming the Compose file, relative to the repository's root. */
    public static final String FILE_KEY = "compose_file";
    static final java.util.List<String> DEFAULT_FILES = java.util.List.of("compose.yaml", "compose.yml", "docker-compose.yml",
            "docker-compose.yaml");

    @Override
    public Set<String> configKeys() {
        return Set.of(FILE_KEY);
    }

    @Override
    public void validate(Map<String, String> buildConfig) {
        String file = buildConfig.get(FILE_KEY);
        if (file != null) {
            StackPaths.relative(file, "build_config." + FILE_KEY);
        }
    }

    @Override
    public BuildOutcome build(BuildRequest request, ContainerRuntime runtime, Consumer<String> log, Cancellation cancellation) {
        throw new PloyerException(StandardErrorCode.CONFIGURATION, "a compose application is deployed as a stack, not built "
                + "as one image");
    }
}
