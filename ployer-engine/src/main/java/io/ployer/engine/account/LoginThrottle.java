package io.ployer.engine.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Throttles failed logins per key (an account, a client address): after {@code freeFailures}
 * failures each further attempt must wait a delay that doubles up to {@code maxDelay}. A success
 * clears the key. The table is bounded (oldest keys evicted) so a flood of addresses cannot
 * exhaust memory.
 */
final class LoginThrottle {
    private final Clock clock;
    private final int freeFailures;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final int capacity;
    private final Map<String, Failures> failures;

    private record Failures(int count, Instant lockedUntil) {
    }

    LoginThrottle(Clock clock, int freeFailures, Duration baseDelay, Duration maxDelay, int capacity) {
        this.clock = clock;
        this.freeFailures = freeFailures;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        this.capacity = capacity;
        this.failures = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
                return size() > LoginThrottle.this.capacity;
            }
        };
    }

    /** How long the key must still wait, or zero. */
    synchronized Duration waitFor(String key) {
        Failures current = failures.get(key);
        if (current == null || current.lockedUntil() == null) {
            return Duration.ZERO;
        }
        Duration remaining = Duration.between(clock.instant(), current.lockedUntil());
        return remaining.isNegative() ? Duration.ZERO : remaining;
    }

    synchronized void failed(String key) {
        Failures current = failures.getOrDefault(key, new Failures(0, null));
        int count = current.count() + 1;
        Instant lockedUntil = null;
        if (count > freeFailures) {
            int doublings = Math.min(count - freeFailures - 1, 20);
            Duration delay = baseDelay.multipliedBy(1L << doublings);
            lockedUntil = clock.instant().plus(delay.compareTo(maxDelay) > 0 ? maxDelay : delay);
        }
        failures.put(key, new Failures(count, lockedUntil));
    }

    synchronized void succeeded(String key) {
        failures.remove(key);
    }
}
