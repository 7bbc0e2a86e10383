package io.ployer.spi.git;

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

    /** The forge's id of this delivery, used to detect duplicates. */
    Optional<String> deliveryId(WebhookRequest request);
}
