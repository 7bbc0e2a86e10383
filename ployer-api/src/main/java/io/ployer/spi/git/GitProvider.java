package io.ployer.spi.git;

import java.util.List;
import java.util.Optional;

/** Verifies and parses a forge's webhook deliveries. */
public interface GitProvider {

    /**
     * Verifies a delivery over its raw body and headers, in constant time.
     *
     * @param secret the webhook's plain secret
     */
    Verification verify(WebhookRequest request, String secret);

    /** Parses a verified delivery. */
    WebhookEvent parse(WebhookRequest request);

    /**
     * Every change a verified delivery announces, in the payload's order: a forge whose push may
     * change several refs at once (Bitbucket's {@code push.changes}) answers one event per change,
     * and the engine acts on the one for the application's branch wherever it stands. The default
     * is {@link #parse}'s single event.
     */
    default List<WebhookEvent> parseAll(WebhookRequest request) {
        return List.of(parse(request));
    }

    /** The forge's id of this delivery, used to detect duplicates. */
    Optional<String> deliveryId(WebhookRequest request);

    /**
     * The HTTP request that reports {@code status} through the forge's commit status API (GitHub and
     * Gitea statuses, GitLab commit status, Bitbucket build status), or empty when this forge has
     * none. The engine sends it (with its own timeouts) and treats any 2xx answer as done.
     */
    default Optional<java.net.http.HttpRequest> commitStatusRequest(CommitStatus status) {
        return Optional.empty();
    }
}
