package io.ployer.testkit.build;

import io.ployer.spi.plugin.Cancellation;
import io.ployer.spi.build.BuildOutcome;
import io.ployer.spi.build.BuildRequest;
import io.ployer.spi.build.BuildStrategy;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.testkit.Hold;
import io.ployer.testkit.runtime.TestingContainerRuntime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A build strategy that builds nothing: the image named in the request appears in the
 * {@link TestingContainerRuntime} at once. A test can hold builds (they wait until released or
 * cancelled, like a real build honours cancellation), make the next one fail, and read how many ran
 * at once at most.
 */
public final class TestingBuildStrategy implements BuildStrategy {
    private final boolean needsSource;
    private final Hold hold = new Hold();
    private final Deque<String> failures = new ArrayDeque<>();
    private final List<BuildRequest> requests = new ArrayList<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();

    /** @param needsSource whether deployments clone the source first (false: a prebuilt image) */
    public TestingBuildStrategy(boolean needsSource) {
        this.needsSource = needsSource;
    }

    /** The hold every build passes. */
    public Hold hold() {
        return hold;
    }

    /** Makes the next build fail with {@code reason}. */
    public synchronized void failNext(String reason) {
        failures.add(reason);
    }

    /** The most builds that ran at the same time. */
    public int mostAtOnce() {
        return mostAtOnce.get();
    }

    public synchronized List<BuildRequest> requests() {
        return List.copyOf(requests);
    }

    @Override
    public boolean needsSource() {
        return needsSource;
    }

    @Override
    public BuildOutcome build(BuildRequest request, ContainerRuntime runtime, Consumer<String> log, Cancellation cancellation) {
        synchronized (this) {
            requests.add(request);
        }
        mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
        try {
            log.accept("testing build of " + request.imageTag());
            if (hold.pass(cancellation)) {
                return new BuildOutcome.Failed("cancelled");
            }
            String failure;
            synchronized (this) {
                failure = failures.poll();
            }
            if (failure != null) {
                return new BuildOutcome.Failed(failure);
            }
            if (runtime instanceof TestingContainerRuntime testing) {
                testing.addImage(request.imageTag(), request.labels());
            }
            return new BuildOutcome.Built(request.imageTag());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new BuildOutcome.Failed("interrupted");
        } finally {
            running.decrementAndGet();
        }
    }
}
