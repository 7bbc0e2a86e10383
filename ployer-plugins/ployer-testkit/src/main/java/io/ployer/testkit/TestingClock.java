package io.ployer.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A clock that moves only when a test says so, with timers on it: code under test schedules delays
 * here ({@link #schedule}), and {@link #advance} runs the ones that came due, in order, on the
 * calling thread. A test waits for the code to have scheduled what it expects with
 * {@link #awaitPendingTimers} instead of sleeping. Safe to use from any thread.
 */
public final class TestingClock extends Clock {

    /** A scheduled action. */
    public interface Timer {
        /** Cancels the action; true when this kept it from running. */
        boolean cancel();
    }

    private final Object lock = new Object();
    private final ZoneId zone;
    private final PriorityQueue<Entry> timers = new PriorityQueue<>(Comparator.comparing(Entry::due)
            .thenComparingLong(Entry::sequence));
    private Instant now;
    private long sequence;

    public TestingClock(Instant start) {
        this(start, ZoneOffset.UTC);
    }

    private TestingClock(Instant start, ZoneId zone) {
        this.now = start;
        this.zone = zone;
    }

    /** A clock starting at 2026-01-01T00:00:00Z. */
    public static TestingClock start() {
        return new TestingClock(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** A view in another zone: same time, no timers of its own (schedule on this one). */
    @Override
    public Clock withZone(ZoneId other) {
        Clock self = this;
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return other;
            }

            @Override
            public Clock withZone(ZoneId zoneId) {
                return self.withZone(zoneId);
            }

            @Override
            public Instant instant() {
                return self.instant();
            }
        };
    }

    @Override
    public Instant instant() {
        synchronized (lock) {
            return now;
        }
    }

    /** Runs {@code action} once the clock has been advanced by {@code delay} from now. */
    public Timer schedule(Duration delay, Runnable action) {
        synchronized (lock) {
            Entry entry = new Entry(now.plus(delay), sequence++, action);
            timers.add(entry);
            lock.notifyAll();
            return () -> {
                synchronized (lock) {
                    boolean removed = timers.remove(entry);
                    lock.notifyAll();
                    return removed;
                }
            };
        }
    }

    /** Moves the clock forward, running every timer that comes due (earliest first) on this thread. */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a clock does not go back: " + duration);
        }
        Instant target;
        synchronized (lock) {
            target = now.plus(duration);
        }
        while (true) {
            Entry due;
            synchronized (lock) {
                Entry first = timers.peek();
                if (first == null || first.due().isAfter(target)) {
                    now = target;
                    lock.notifyAll();
                    return;
                }
                due = timers.poll();
                if (due.due().isAfter(now)) {
                    now = due.due();
                }
            }
            due.action().run();
        }
    }

    /** Timers scheduled and neither run nor cancelled. */
    public int pendingTimers() {
        synchronized (lock) {
            return timers.size();
        }
    }

    /** The delays of the pending timers from now, earliest first. */
    public List<Duration> pendingDelays() {
        synchronized (lock) {
            List<Duration> delays = new ArrayList<>();
            timers.stream().sorted(timers.comparator()).forEach(entry -> delays.add(Duration.between(now, entry.due())));
            return delays;
        }
    }

    /**
     * Waits (in real time, up to {@code timeout}) until at least {@code count} timers are pending;
     * false when they never were.
     */
    public boolean awaitPendingTimers(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (timers.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    private record Entry(Instant due, long sequence, Runnable action) {
    }
}
