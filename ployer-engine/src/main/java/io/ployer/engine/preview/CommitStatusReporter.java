package io.ployer.engine.preview;

import io.ployer.api.preview.Preview;
import io.ployer.spi.git.CommitStatus;
import io.ployer.spi.git.GitProvider;
import io.ployer.spi.storage.Storage;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports a preview's state to its forge as a commit status, with the application's git token, on
 * a thread of its own (one at a time, in order: pending is never overtaken by success). A forge
 * that is down or refuses the token costs a line on the preview ({@code status_report}), never a
 * deployment. The token never reaches a log line or the report.
 */
final class CommitStatusReporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CommitStatusReporter.class);
    static final String CONTEXT = "ployer/preview";

    private final Map<String, GitProvider> providers;
    private final Supplier<HttpClient> httpClient;
    private final Storage storage;
    private final Function<String, Optional<String>> tokens;
    private final ExecutorService worker;

    /**
     * @param tokens the plain git token of an application, by id
     */
    CommitStatusReporter(Map<String, GitProvider> providers, Supplier<HttpClient> httpClient, Storage storage,
                         Function<String, Optional<String>> tokens, ThreadFactory threadFactory) {
        this.providers = Map.copyOf(providers);
        this.httpClient = httpClient;
        this.storage = storage;
        this.tokens = tokens;
        this.worker = Executors.newSingleThreadExecutor(threadFactory);
    }

    /** Queues a report; its outcome is written to the preview's {@code status_report}. */
    void report(Preview preview, String apiUrlOverride, CommitStatus.State state, String description) {
        worker.execute(() -> {
            String outcome;
            try {
                outcome = send(preview, apiUrlOverride, state, description);
            } catch (RuntimeException e) {
                outcome = state.name().toLowerCase(java.util.Locale.ROOT) + " not reported: " + e.getMessage();
            }
            String report = outcome;
            LOG.debug("commit status of preview {} #{}: {}", preview.applicationId(), preview.number(), report);
            storage.inTransaction(tx -> {
                tx.previews().find(preview.applicationId(), preview.number()).filter(current -> current.id().equals(preview.id()))
                        .ifPresent(current -> tx.previews().update(current.withStatusReport(report)));
                return null;
            });
        });
    }

    private String send(Preview preview, String apiUrlOverride, CommitStatus.State state, String description) {
        String name = state.name().toLowerCase(java.util.Locale.ROOT);
        GitProvider provider = providers.get(preview.provider());
        String apiUrl = apiUrlOverride != null ? apiUrlOverride : preview.forgeApiUrl();
        if (provider == null || apiUrl == null || preview.forgeRepository() == null) {
            return name + " not reported: the forge's API is not known (set status_api_url in the preview settings)";
        }
        Optional<String> token = tokens.apply(preview.applicationId());
        if (token.isEmpty()) {
            return name + " not reported: the application has no git token to report commit statuses with";
        }
        Optional<HttpRequest> request = provider.commitStatusRequest(new CommitStatus(apiUrl, preview.forgeRepository(),
                preview.headSha(), state, preview.url(), description, CONTEXT, token.get()));
        if (request.isEmpty()) {
            return name + " not reported: the " + preview.provider() + " forge has no commit status API";
        }
        try {
            HttpResponse<Void> response = httpClient.get().send(HttpRequest.newBuilder(request.get(), (header, value) -> true)
                    .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 == 2) {
                return name + " reported";
            }
            return name + " not reported: the forge answered HTTP " + response.statusCode();
        } catch (IOException e) {
            return name + " not reported: the forge could not be reached";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return name + " not reported: interrupted";
        }
    }

    /** Waits for queued reports (tests, shutdown): true when all are sent. */
    boolean drain(Duration timeout) throws InterruptedException {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        worker.execute(done::countDown);
        return done.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
