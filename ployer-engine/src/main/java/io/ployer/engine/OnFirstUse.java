package io.ployer.engine;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value made the first time it is asked for, then returned every time; safe to share between
 * threads (the factory runs at most once). The engine uses it for what is costly to make and may
 * never be needed: a {@link java.net.http.HttpClient} initialises the default {@code SSLContext}
 * and parses the trust store when it is built (about 550 classes and 1.5 MB of heap), although a
 * server that deploys nothing makes no outbound request.
 *
 * @param <T> the value's type
 */
final class OnFirstUse<T> implements Supplier<T> {
    private final Object lock = new Object();
    private Supplier<? extends T> factory;
    private volatile T value;

    OnFirstUse(Supplier<? extends T> factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    @Override
    public T get() {
        T made = value;
        if (made != null) {
            return made;
        }
        synchronized (lock) {
            if (value == null) {
                value = Objects.requireNonNull(factory.get(), "the factory made null");
                factory = null; // what it captured is no longer needed
            }
            return value;
        }
    }
}
