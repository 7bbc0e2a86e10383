package io.ployer.spi.git;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A received webhook delivery: the raw body bytes (signatures are computed over them, never over
 * re-serialised JSON) and the headers, looked up case-insensitively.
 */
public final class WebhookRequest {
    private final byte[] body;
    private final Map<String, List<String>> headers;

    public WebhookRequest(byte[] body, Map<String, List<String>> headers) {
        this.body = body.clone();
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> copy.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        this.headers = copy;
    }

    /** A copy of the raw body. */
    public byte[] body() {
        return body.clone();
    }

    /** The first value of a header. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
