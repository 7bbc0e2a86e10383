package io.ployer.testkit.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.spi.plugin.Cancellation;
import io.ployer.spi.build.BuildOutcome;
import io.ployer.spi.build.BuildRequest;
import io.ployer.spi.build.BuildStrategy;
import io.ployer.spi.runtime.ContainerRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link io.ployer.spi.build.BuildStrategy} plugin must do, against a real
 * {@link ContainerRuntime}. Extend it with the strategy, the runtime it builds with, and a source tree
 * that builds (and one that does not). Images the kit makes are tagged {@code ployer-kit/build:<run>} and
 * removed afterwards.
 *
 * <p>The contract: a build that works returns {@link BuildOutcome.Built} with an image the runtime has,
 * carrying the request's labels, having streamed at least one log line; a build that fails for a reason
 * in the source returns {@link BuildOutcome.Failed} with a sentence (or throws a BUILD_FAILURE
 * {@link PloyerException}), never another exception; a cancelled build ends with CANCELLED (or a
 * {@link BuildOutcome.Failed}); the strategy's {@link BuildStrategy#validate} accepts its own example
 * config and rejects an unknown value with an INVALID_ARGUMENT naming {@code build_config.<key>}.
 */
public abstract class BuildStrategyCompatibilityKit {
    @TempDir
    protected Path work;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<String> tags = new ArrayList<>();
    private ContainerRuntime runtime;

    /** The strategy under test. */
    protected abstract BuildStrategy strategy();

    /** A started runtime the strategy builds with; the kit closes it. */
    protected abstract ContainerRuntime createRuntime();

    /** Writes a source tree that builds into {@code directory} (ignored when the strategy needs no source). */
    protected abstract void writeWorkingSource(Path directory) throws IOException;

    /** Writes a source tree whose build fails for a reason a user can fix. */
    protected abstract void writeBrokenSource(Path directory) throws IOException;

    /** The application build config the working source needs (every key among the strategy's config keys). */
    protected Map<String, String> buildConfig() {
        return Map.of();
    }

    /**
     * A build config the strategy must reject in {@link BuildStrategy#validate}, or an empty map when every
     * value it could get is valid.
     */
    protected Map<String, String> invalidBuildConfig() {
        return Map.of();
    }

    @BeforeEach
    void open() {
        runtime = createRuntime();
        runtime.ping();
    }

    @AfterEach
    void close() {
        tags.forEach(runtime::removeImage);
        runtime.close();
    }

    private BuildRequest request(Path source, Map<String, String> config) {
        String tag = "ployer-kit/build:" + run + "-" + tags.size();
        tags.add(tag);
        return new BuildRequest("kit-app", "kit-deployment-" + tags.size(), strategy().needsSource() ? source : null, config,
                Map.of(), tag, Map.of(ContainerRuntime.LABEL_MANAGED, "true", "io.ployer.testkit", run));
    }

    private Path source(String name, boolean working) throws IOException {
        Path directory = Files.createDirectories(work.resolve(name));
        if (working) {
            writeWorkingSource(directory);
        } else {
            writeBrokenSource(directory);
        }
        return directory;
    }

    @Test
    void buildsAnImageTheRuntimeHasStreamingItsLog() throws IOException {
        List<String> log = new CopyOnWriteArrayList<>();
        BuildOutcome outcome = strategy().build(request(source("working", true), buildConfig()), runtime, log::add, Cancellation.NONE);
        assertThat(outcome).isInstanceOf(BuildOutcome.Built.class);
        String image = ((BuildOutcome.Built) outcome).imageRef();
        assertThat(runtime.imageExists(image)).as("the runtime has %s", image).isTrue();
        assertThat(log).as("build log").isNotEmpty();
        tags.add(image);
    }

    @Test
    void aBrokenSourceIsAFailedOutcomeWithASentence() throws IOException {
        BuildOutcome outcome;
        try {
            outcome = strategy().build(request(source("broken", false), buildConfig()), runtime, line -> { }, Cancellation.NONE);
        } catch (PloyerException e) {
            assertThat(e.code()).isEqualTo(StandardErrorCode.BUILD_FAILURE);
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(outcome).isInstanceOfSatisfying(BuildOutcome.Failed.class,
                failed -> assertThat(failed.reason()).isNotBlank());
    }

    @Test
    void aBuildCancelledBeforeItStartsEndsCancelled() throws IOException {
        Cancellation cancelled = new Cancellation() {
            @Override
            public boolean isCancelled() {
                return true;
            }

            @Override
            public void onCancel(Runnable action) {
                action.run();
            }
        };
        BuildRequest request = request(source("cancelled", true), buildConfig());
        Throwable thrown = catchThrowable(() -> {
            BuildOutcome outcome = strategy().build(request, runtime, line -> { }, cancelled);
            assertThat(outcome).isInstanceOf(BuildOutcome.Failed.class);
        });
        if (thrown != null) {
            assertThat(thrown).isInstanceOfSatisfying(PloyerException.class,
                    e -> assertThat(e.code()).isEqualTo(StandardErrorCode.CANCELLED));
        }
    }

    @Test
    void validatesItsOwnConfigAndRejectsAnInvalidOneNamingTheKey() {
        assertThat(strategy().configKeys()).containsAll(buildConfig().keySet());
        strategy().validate(buildConfig());
        Map<String, String> invalid = invalidBuildConfig();
        if (!invalid.isEmpty()) {
            Throwable thrown = catchThrowable(() -> strategy().validate(invalid));
            assertThat(thrown).isInstanceOfSatisfying(PloyerException.class, e -> {
                assertThat(e.code()).isEqualTo(StandardErrorCode.INVALID_ARGUMENT);
                assertThat(e.getMessage()).contains("build_config." + invalid.keySet().iterator().next());
            });
        }
    }
}
