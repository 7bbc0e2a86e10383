package io.ployer.engine.database;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Waits for a database to answer: probes on a scheduler every half second until it does or the timeout passes. */
final class ReadinessWait implements AutoCloseable {
    private static final long INTERVAL_MILLIS = 500;
    private final ScheduledExecutorService scheduler;
    private final Duration timeout;

    ReadinessWait(ThreadFactory threadFactory, Duration timeout) {
        this.scheduler = Executors.newSingleThreadScheduledExecutor(threadFactory);
        this.timeout = timeout;
    }

    /** Whether {@code probe} answered true within the timeout. */
    boolean await(BooleanSupplier probe) {
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        ScheduledFuture<?> probing = scheduler.scheduleWithFixedDelay(() -> {
            try {
                if (probe.getAsBoolean()) {
                    ready.complete(true);
                }
            } catch (RuntimeException e) {
                // not ready yet
            }
        }, 0, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        try {
            return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return false;
        } finally {
            probing.cancel(false);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
