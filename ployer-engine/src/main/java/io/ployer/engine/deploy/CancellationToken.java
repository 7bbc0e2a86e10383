package io.ployer.engine.deploy;

import io.ployer.spi.plugin.Cancellation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The cancellation of one deployment run: fired by a user's cancel, a step timeout or engine
 * shutdown; remembers why, runs registered callbacks once, and wakes any wait in progress.
 */
final class CancellationToken implements Cancellation {

    /** Why a run was stopped. */
    enum Cause {
        USER,
        TIMEOUT,
        SHUTDOWN,
        SUPERSEDED
    }

    record Reason(Cause cause, String message) {
    }

    private final AtomicReference<Reason> reason = new AtomicReference<>();
    private final List<Runnable> callbacks = new CopyOnWriteArrayList<>();
    private final CountDownLatch fired = new CountDownLatch(1);

    /** Fires the token; only the first call counts. */
    void cancel(Cause cause, String message) {
        if (reason.compareAndSet(null, new Reason(cause, message))) {
            fired.countDown();
            for (Runnable callback : callbacks) {
                try {
                    callback.run();
                } catch (RuntimeException e) {
                    // A failing abort action must not keep the others from running.
                }
            }
        }
    }

    Reason reason() {
        return reason.get();
    }

    @Override
    public boolean isCancelled() {
        return reason.get() != null;
    }

    @Override
    public void onCancel(Runnable action) {
        callbacks.add(action);
        if (isCancelled()) {
            callbacks.remove(action);
            action.run();
        }
    }

    /** Waits up to {@code duration}; returns early (true) when cancelled. */
    boolean await(Duration duration) throws InterruptedException {
        return fired.await(duration.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Waits {@code duration} as measured by {@code timers} (a test's clock drives it); returns early
     * (true) when cancelled.
     */
    boolean await(Duration duration, DeploymentTimers timers) throws InterruptedException {
        if (isCancelled()) {
            return true;
        }
        CountDownLatch woken = new CountDownLatch(1);
        Runnable wake = woken::countDown;
        DeploymentTimers.Scheduled timer = timers.schedule(duration, wake);
        onCancel(wake);
        try {
            woken.await();
        } finally {
            timer.cancel();
            callbacks.remove(wake);
        }
        return isCancelled();
    }
}
