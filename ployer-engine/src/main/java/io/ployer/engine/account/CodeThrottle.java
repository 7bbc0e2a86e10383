package io.ployer.engine.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Throttles wrong second-factor codes per user: {@code limit} failures within {@code window} and
 * further attempts wait until the oldest of them leaves the window. Bounded in users (oldest evicted).
 */
final class CodeThrottle {
    private final Clock clock;
    private final int limit;
    private final Duration window;
    private final Map<String, Deque<Instant>> failures = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Instant>> eldest) {
            return size() > 10_000;
        }
    };

    CodeThrottle(Clock clock, int limit, Duration window) {
        this.clock = clock;
        this.limit = limit;
        this.window = window;
    }

    /** How long the key must still wait, or zero. */
    synchronized Duration waitFor(String key) {
        Deque<Instant> recent = prune(key);
        if (recent == null || recent.size() < limit) {
            return Duration.ZERO;
        }
        return Duration.between(clock.instant(), recent.peekFirst().plus(window));
    }

    synchronized void failed(String key) {
        Deque<Instant> recent = prune(key);
        if (recent == null) {
            recent = new ArrayDeque<>();
            failures.put(key, recent);
        }
        recent.addLast(clock.instant());
        while (recent.size() > limit) {
            recent.removeFirst();
        }
    }

    synchronized void succeeded(String key) {
        failures.remove(key);
    }

    private Deque<Instant> prune(String key) {
        Deque<Instant> recent = failures.get(key);
        if (recent == null) {
            return null;
        }
        Instant cutoff = clock.instant().minus(window);
        while (!recent.isEmpty() && !recent.peekFirst().isAfter(cutoff)) {
            recent.removeFirst();
        }
        return recent;
    }
}
