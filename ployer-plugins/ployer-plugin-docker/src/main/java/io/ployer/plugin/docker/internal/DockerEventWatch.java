package io.ployer.plugin.docker.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import io.ployer.spi.runtime.RuntimeEvent;
import java.io.Closeable;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows Docker's event stream ({@code GET /events}, docker-java's {@code eventsCmd}) for the
 * {@code die} and {@code destroy} events of containers carrying the given labels, and reconnects
 * when the stream breaks (dockerd restarted or went away): once a second while it does not answer,
 * reporting {@link RuntimeEvent.Type#RECONNECTED} when it does again. The stream's request has no
 * response timeout ({@link DockerTransport}): an events stream may be quiet for hours.
 */
final class DockerEventWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DockerEventWatch.class);
    private static final long RETRY_MILLIS = 1000;

    private final Supplier<DockerClient> client;
    private final Map<String, String> labels;
    private final Consumer<RuntimeEvent> listener;
    private final ScheduledExecutorService retries;
    private final Object lock = new Object();
    private Stream current;
    private boolean lost;
    private boolean closed;

    DockerEventWatch(Supplier<DockerClient> client, Map<String, String> labels, Consumer<RuntimeEvent> listener) {
        this.client = client;
        this.labels = Map.copyOf(labels);
        this.listener = listener;
        this.retries = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "ployer-docker-events");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Opens the stream (on the retry thread, so a dockerd that does not answer never blocks the caller). */
    DockerEventWatch start() {
        retryIn(0);
        return this;
    }

    private void connect() {
        Stream stream;
        synchronized (lock) {
            if (closed) {
                return;
            }
            stream = new Stream();
            current = stream;
        }
        try {
            var command = client.get().eventsCmd().withEventTypeFilter(EventType.CONTAINER).withEventFilter("die", "destroy");
            if (!labels.isEmpty()) {
                command = command.withLabelFilter(labels);
            }
            command.exec(stream);
        } catch (RuntimeException e) {
            stream.onError(e);
        }
    }

    private void retryIn(long millis) {
        try {
            retries.schedule(this::connect, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // closed
        }
    }

    private void deliver(RuntimeEvent event) {
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            LOG.warn("a Docker event listener failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        Stream stream;
        synchronized (lock) {
            closed = true;
            stream = current;
        }
        retries.shutdownNow();
        if (stream != null) {
            stream.close();
        }
    }

    /** One connection's events; its end (error or completion) schedules the next connection. */
    private final class Stream implements ResultCallback<Event> {
        private volatile Closeable connection;
        private volatile boolean ended;

        @Override
        public void onStart(Closeable closeable) {
            connection = closeable;
            boolean reconnected;
            synchronized (lock) {
                if (closed || current != this) {
                    close();
                    return;
                }
                reconnected = lost;
                lost = false;
            }
            if (reconnected) {
                LOG.info("Docker's event stream is back");
                deliver(new RuntimeEvent(RuntimeEvent.Type.RECONNECTED, null, Map.of(), Instant.now()));
            }
        }

        @Override
        public void onNext(Event event) {
            if (ended || event.getId() == null) {
                return;
            }
            RuntimeEvent.Type type = "destroy".equals(event.getAction()) || "destroy".equals(event.getStatus())
                    ? RuntimeEvent.Type.CONTAINER_REMOVED : RuntimeEvent.Type.CONTAINER_DIED;
            Map<String, String> attributes = event.getActor() == null || event.getActor().getAttributes() == null
                    ? Map.of() : event.getActor().getAttributes();
            Long nanos = event.getTimeNano();
            Instant at = nanos != null && nanos > 0 ? Instant.ofEpochSecond(0, nanos)
                    : event.getTime() != null ? Instant.ofEpochSecond(event.getTime()) : Instant.now();
            deliver(new RuntimeEvent(type, event.getId(), attributes, at));
        }

        @Override
        public void onError(Throwable error) {
            LOG.debug("Docker's event stream broke: {}", error.toString());
            ended();
        }

        @Override
        public void onComplete() {
            ended();
        }

        private void ended() {
            if (ended) {
                return;
            }
            ended = true;
            synchronized (lock) {
                if (closed || current != this) {
                    return;
                }
                lost = true;
            }
            retryIn(RETRY_MILLIS);
        }

        @Override
        public void close() {
            ended = true;
            Closeable open = connection;
            if (open != null) {
                try {
                    open.close();
                } catch (IOException | RuntimeException e) {
                    // discarded either way
                }
            }
        }
    }
}
