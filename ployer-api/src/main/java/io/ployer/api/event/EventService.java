package io.ployer.api.event;

import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Subscribes to Ployer's events. Each subscriber has its own bounded queue drained on its own
 * delivery thread, so a slow subscriber never blocks the engine; when its queue is full the
 * oldest events are dropped for that subscriber alone.
 */
public interface EventService {

    /** Subscribes to every event. */
    default EventSubscription subscribe(Consumer<? super PloyerEvent> listener) {
        return subscribe(event -> true, listener);
    }

    /** Subscribes to the events that pass {@code filter}. */
    EventSubscription subscribe(Predicate<? super PloyerEvent> filter, Consumer<? super PloyerEvent> listener);

    /** Subscribes to the events of one topic ({@code deployment:<id>}, {@code app:<id>} …). */
    default EventSubscription subscribe(String topic, Consumer<? super PloyerEvent> listener) {
        return subscribe(event -> event.topic().equals(topic), listener);
    }
}
