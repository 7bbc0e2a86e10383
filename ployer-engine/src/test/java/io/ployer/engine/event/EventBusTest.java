package io.ployer.engine.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.event.EventSubscription;
import io.ployer.api.event.PloyerEvent;
import io.ployer.api.health.HealthStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventBusTest {

    private static PloyerEvent health(String app, int n) {
        return new PloyerEvent.HealthChanged(app, HealthStatus.HEALTHY, HealthStatus.UNHEALTHY, "n=" + n, Instant.EPOCH);
    }

    @Test
    void aBlockedSubscriberNeverBlocksPublishingAndKeepsTheNewestEvents() throws Exception {
        try (EventBus bus = new EventBus(Thread::new, 8)) {
            CountDownLatch release = new CountDownLatch(1);
            List<PloyerEvent> slow = new CopyOnWriteArrayList<>();
            List<PloyerEvent> fast = new CopyOnWriteArrayList<>();
            bus.subscribe(event -> {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                slow.add(event);
            });
            bus.subscribe(fast::add);
            long start = System.nanoTime();
            for (int i = 0; i < 1000; i++) {
                bus.publish(health("a", i));
            }
            Duration publishing = Duration.ofNanos(System.nanoTime() - start);
            assertThat(publishing).isLessThan(Duration.ofSeconds(5));
            release.countDown();
            awaitCondition(() -> fast.contains(health("a", 999)));
            awaitCondition(() -> slow.contains(health("a", 999)));
            // The blocked one kept only what fits its queue (plus the one it held while blocked): the
            // newest 8, in order. (How many the fast one kept depends on how fast its thread ran.)
            assertThat(slow.size()).isBetween(8, 9);
            assertThat(slow.subList(slow.size() - 8, slow.size())).containsExactlyElementsOf(
                    java.util.stream.IntStream.rangeClosed(992, 999).mapToObj(n -> health("a", n)).toList());
            List<Integer> order = fast.stream().map(event -> Integer.parseInt(((PloyerEvent.HealthChanged) event).reason().substring(2)))
                    .toList();
            assertThat(order).isSorted();
        }
    }

    @Test
    void topicSubscriptionsSeeOnlyTheirTopicAndStopWhenClosed() throws Exception {
        try (EventBus bus = new EventBus(Thread::new, 64)) {
            List<PloyerEvent> received = new CopyOnWriteArrayList<>();
            EventSubscription subscription = bus.subscribe("app:one", received::add);
            bus.publish(health("one", 1));
            bus.publish(health("two", 2));
            awaitSize(received, 1);
            assertThat(received).containsExactly(health("one", 1));
            subscription.close();
            subscription.close();
            bus.publish(health("one", 3));
            assertThat(received).hasSize(1);
        }
    }

    private static void awaitSize(List<?> list, int size) throws InterruptedException {
        awaitCondition(() -> list.size() >= size);
    }

    private static void awaitCondition(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(10);
        }
    }
}
