package io.ployer.spi.build;

import io.ployer.spi.plugin.Cancellation;
import io.ployer.spi.runtime.ContainerRuntime;
import java.util.Set;
import java.util.function.Consumer;

/** Turns a checked-out source tree (or a reference) into an image the runtime can run. */
public interface BuildStrategy {

    /** Whether the strategy needs the repository checked out (an image reference does not). */
    default boolean needsSource() {
        return true;
    }

    /** The application build-config keys this strategy understands; others are rejected at the edge. */
    default Set<String> configKeys() {
        return Set.of();
    }

    /**
     * Validates an application's build config before it is stored; throws an INVALID_ARGUMENT
     * {@link io.ployer.api.PloyerException} naming the key ({@code build_config.<key>}).
     */
    default void validate(java.util.Map<String, String> buildConfig) {
    }

    /**
     * Produces the image, streaming log lines to {@code log}.
     *
     * @return what came of it
     */
    BuildOutcome build(BuildRequest request, ContainerRuntime runtime, Consumer<String> log, Cancellation cancellation);
}
