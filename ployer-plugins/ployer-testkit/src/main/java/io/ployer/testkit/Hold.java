package io.ployer.testkit;

import io.ployer.spi.plugin.Cancellation;
import java.time.Duration;

/**
 * A barrier a test closes and opens: while held, code that passes it ({@link #pass}) waits until the
 * test releases it or the caller's cancellation fires. The test waits for callers to arrive with
 * {@link #awaitArrivals} instead of sleeping.
 */
public final class Hold {
    private boolean held;
    private int arrivals;

    /** Makes the next callers wait. */
    public synchronized void hold() {
        held = true;
    }

    /** Lets every waiting and later caller through. */
    public synchronized void release() {
        held = false;
        notifyAll();
    }

    public synchronized boolean isHeld() {
        return held;
    }

    /** How many callers reached the hold so far (held or not). */
    public synchronized int arrivals() {
        return arrivals;
    }

    /**
     * Passes the hold: returns at once when open, else waits until released or cancelled; returns
     * whether the caller was cancelled.
     */
    public boolean pass(Cancellation cancellation) throws InterruptedException {
        cancellation.onCancel(this::wake);
        synchronized (this) {
            arrivals++;
            notifyAll();
            while (held && !cancellation.isCancelled()) {
                wait();
            }
            return cancellation.isCancelled();
        }
    }

    /** {@link #pass} for callers that cannot be cancelled; an interrupt ends the wait. */
    public void pass() {
        try {
            pass(Cancellation.NONE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits (real time, up to {@code timeout}) until {@code count} callers have arrived. */
    public synchronized boolean awaitArrivals(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (arrivals < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    private synchronized void wake() {
        notifyAll();
    }
}
