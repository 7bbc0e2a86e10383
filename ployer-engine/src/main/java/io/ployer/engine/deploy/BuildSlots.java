package io.ployer.engine.deploy;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** The global build limit: at most {@code max} builds run at once, first come first served. */
final class BuildSlots {
    private final int max;
    private final Semaphore permits;

    BuildSlots(int max) {
        this.max = max;
        this.permits = new Semaphore(max, true);
    }

    /**
     * Waits for a slot, saying once in the log that it waits; returns false (holding no slot) when the
     * run was cancelled meanwhile.
     */
    boolean acquire(CancellationToken token, DeploymentLog log) throws InterruptedException {
        boolean announced = false;
        // The bounded wait only looks at the token now and then; a released slot wakes it at once.
        while (!permits.tryAcquire(200, TimeUnit.MILLISECONDS)) {
            if (token.isCancelled()) {
                return false;
            }
            if (!announced) {
                log.system("Waiting for a build slot (at most " + max + " builds run at once)");
                announced = true;
            }
        }
        if (token.isCancelled()) {
            permits.release();
            return false;
        }
        return true;
    }

    void release() {
        permits.release();
    }
}
