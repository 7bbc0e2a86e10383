package io.ployer.engine.deploy;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.application.Application;
import io.ployer.spi.plugin.Cancellation;
import io.ployer.testkit.Hold;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/** A checkout that clones nothing: a fixed commit in a given directory; holdable and failable. */
final class TestingSourceCheckout implements SourceCheckout {
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    private final Path directory;
    private final Hold hold = new Hold();
    private final Deque<RuntimeException> failures = new ArrayDeque<>();
    private final List<Credentials> credentials = new ArrayList<>();

    TestingSourceCheckout(Path directory) {
        this.directory = directory;
    }

    Hold hold() {
        return hold;
    }

    synchronized void failNext(RuntimeException failure) {
        failures.add(failure);
    }

    /** The credentials each checkout was given, in order. */
    synchronized List<Credentials> credentials() {
        return List.copyOf(credentials);
    }

    @Override
    public CheckedOut checkout(Application application, String commitSha, Credentials given, Consumer<String> log,
                               Cancellation cancellation) {
        synchronized (this) {
            credentials.add(given);
        }
        log.accept("testing checkout of " + application.gitUrl());
        try {
            if (hold.pass(cancellation)) {
                throw new PloyerException(StandardErrorCode.CANCELLED, "cancelled");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PloyerException(StandardErrorCode.CANCELLED, "interrupted");
        }
        RuntimeException failure;
        synchronized (this) {
            failure = failures.poll();
        }
        if (failure != null) {
            throw failure;
        }
        return new CheckedOut(directory, commitSha == null ? COMMIT : commitSha, "a testing commit");
    }
}
