package io.ployer.plugin.notifiers.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.spi.plugin.PluginConfig;
import io.ployer.spi.plugin.PluginContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Posts one JSON document to a webhook-style service and turns anything but a 2xx answer into a
 * NOTIFICATION_FAILURE. Messages never hold the URL: for most services the URL is the secret.
 */
final class HttpDelivery {
    static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_ANSWER = 200;

    private final String service;
    private final PluginContext context;
    private final Duration timeout;

    HttpDelivery(String service, PluginContext context, Duration timeout) {
        this.service = service;
        this.context = context;
        this.timeout = timeout;
    }

    /** The {@code timeout} key (default 10s). */
    static Duration timeout(PluginConfig config) {
        return config.duration("timeout", Duration.ofSeconds(10));
    }

    /** A required http(s) URL under {@code key}; its value is never repeated in the problem. */
    static URI url(PluginConfig config, String key) {
        String value = config.requiredString(key);
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                config.problem(key, "must be an http:// or https:// URL");
                return null;
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            config.problem(key, "must be an http:// or https:// URL");
            return null;
        }
    }

    static byte[] bytes(ObjectNode document) {
        try {
            return MAPPER.writeValueAsBytes(document);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Posts {@code body} as JSON with the extra {@code headers}. */
    void post(URI uri, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "Ployer")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpResponse<String> response;
        try {
            HttpClient client = context.httpClient();
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PloyerException(StandardErrorCode.NOTIFICATION_FAILURE, service + " could not be reached ("
                    + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PloyerException(StandardErrorCode.CANCELLED, "the " + service + " notification was interrupted");
        }
        if (response.statusCode() / 100 != 2) {
            String answer = response.body() == null ? "" : response.body().strip();
            if (answer.length() > MAX_ANSWER) {
                answer = answer.substring(0, MAX_ANSWER) + "…";
            }
            throw new PloyerException(StandardErrorCode.NOTIFICATION_FAILURE, service + " answered HTTP "
                    + response.statusCode() + (answer.isEmpty() ? "" : ": " + answer));
        }
    }

    /** {@code text} cut to {@code max} characters, with an ellipsis when cut. */
    static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
