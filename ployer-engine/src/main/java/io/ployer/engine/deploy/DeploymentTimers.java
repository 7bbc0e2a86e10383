package io.ployer.engine.deploy;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Where the pipeline's delays come from (step timeouts, drains, the health gate's pauses): a
 * scheduled executor in production, a clock a test advances in the state-machine suite.
 */
@FunctionalInterface
interface DeploymentTimers {

    /** A scheduled action. */
    @FunctionalInterface
    interface Scheduled {
        /** Cancels the action; true when this kept it from running. */
        boolean cancel();
    }

    /** Runs {@code action} once after {@code delay}. */
    Scheduled schedule(Duration delay, Runnable action);

    /**
     * Waits {@code duration} on these timers, returning early (true) when the token fires; a test's
     * clock drives it.
     */
    default boolean pause(CancellationToken token, Duration duration) throws InterruptedException {
        return token.await(duration, this);
    }

    /** Timers on a scheduled executor (shut down by its owner); nothing runs once it is shut down. */
    static DeploymentTimers on(ScheduledExecutorService executor) {
        return new DeploymentTimers() {
            @Override
            public Scheduled schedule(Duration delay, Runnable action) {
                try {
                    ScheduledFuture<?> future = executor.schedule(action, delay.toMillis(), TimeUnit.MILLISECONDS);
                    return () -> future.cancel(false);
                } catch (RejectedExecutionException shuttingDown) {
                    return () -> false;
                }
            }

            /** Waits on the token itself: a drain retiring a container on the timer thread never delays it. */
            @Override
            public boolean pause(CancellationToken token, Duration duration) throws InterruptedException {
                return token.await(duration);
            }
        };
    }
}
