package io.ployer.engine.event;

import io.ployer.api.event.EventService;
import io.ployer.api.event.EventSubscription;
import io.ployer.api.event.PloyerEvent;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to subscribers. Each subscriber has a bounded queue and its own delivery thread,
 * so publishing never blocks: when a subscriber's queue is full its oldest event is dropped (and
 * counted) for that subscriber alone.
 */
public final class EventBus implements EventService, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);

    private final ThreadFactory threadFactory;
    private final int queueCapacity;
    private final CopyOnWriteArrayList<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    public EventBus(ThreadFactory threadFactory, int queueCapacity) {
        this.threadFactory = threadFactory;
        this.queueCapacity = queueCapacity;
    }

    /** Hands the event to every matching subscriber's queue. Never blocks. */
    public void publish(PloyerEvent event) {
        if (closed.get()) {
            return;
        }
        for (Subscriber subscriber : subscribers) {
            subscriber.offer(event);
        }
    }

    @Override
    public EventSubscription subscribe(Predicate<? super PloyerEvent> filter, Consumer<? super PloyerEvent> listener) {
        if (closed.get()) {
            throw new IllegalStateException("the event bus is closed");
        }
        Subscriber subscriber = new Subscriber(filter, listener, new ArrayBlockingQueue<>(queueCapacity));
        subscribers.add(subscriber);
        Thread thread = threadFactory.newThread(subscriber::drain);
        thread.setName("ployer-events-" + subscribers.size());
        subscriber.thread = thread;
        thread.start();
        return subscriber;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            for (Subscriber subscriber : subscribers) {
                subscriber.close();
            }
        }
    }

    private final class Subscriber implements EventSubscription {
        private final Predicate<? super PloyerEvent> filter;
        private final Consumer<? super PloyerEvent> listener;
        private final BlockingQueue<PloyerEvent> queue;
        private final AtomicBoolean active = new AtomicBoolean(true);
        private final AtomicLong dropped = new AtomicLong();
        private volatile Thread thread;

        Subscriber(Predicate<? super PloyerEvent> filter, Consumer<? super PloyerEvent> listener,
                   BlockingQueue<PloyerEvent> queue) {
            this.filter = filter;
            this.listener = listener;
            this.queue = queue;
        }

        void offer(PloyerEvent event) {
            if (!active.get() || !filter.test(event)) {
                return;
            }
            while (!queue.offer(event)) {
                // Full: drop the oldest so a slow subscriber sees the newest state and never blocks the engine.
                if (queue.poll() != null) {
                    dropped.incrementAndGet();
                }
            }
        }

        void drain() {
            while (active.get() || !queue.isEmpty()) {
                try {
                    PloyerEvent event = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (event != null) {
                        listener.accept(event);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    LOG.warn("event subscriber failed: {}", e.toString());
                }
            }
            if (dropped.get() > 0) {
                LOG.info("event subscriber dropped {} events it was too slow to take", dropped.get());
            }
        }

        @Override
        public void close() {
            if (active.compareAndSet(true, false)) {
                subscribers.remove(this);
                queue.clear();
                Thread current = thread;
                if (current != null && current != Thread.currentThread()) {
                    current.interrupt();
                }
            }
        }
    }
}
