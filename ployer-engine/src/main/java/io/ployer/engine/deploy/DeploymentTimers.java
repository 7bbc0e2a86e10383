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

    /** Timers on a scheduled executor (shut down by its owner); once it is shut down, an action runs at once. */
    static DeploymentTimers on(ScheduledExecutorService executor) {
        return (delay, action) -> {
            try {
                ScheduledFuture<?> future = executor.schedule(action, delay.toMillis(), TimeUnit.MILLISECONDS);
                return () -> future.cancel(false);
            } catch (RejectedExecutionException shuttingDown) {
                // Shutting down: the delay is over at once, so nothing waits on a timer that never fires.
                action.run();
                return () -> false;
            }
        };
    }
}
