package io.ployer.api.event;

/** A live subscription; closing it stops delivery. Closing twice is harmless. */
public interface EventSubscription extends AutoCloseable {
    @Override
    void close();
}
