package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.spi.git.WebhookSignatures;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /metrics is scraped and parsed as Prometheus text: JVM, HTTP and Ployer's own counters. */
class MetricsTest {
    @TempDir
    Path data;

    /** Sums of each metric name with the given label fragment, from the exposition text. */
    private static Map<String, Double> parse(String text) {
        Map<String, Double> values = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            values.merge(line.substring(0, space), Double.parseDouble(line.substring(space + 1)), Double::sum);
        }
        return values;
    }

    @Test
    void exposesJvmHttpAndWebhookMetrics() throws Exception {
        try (ServerFixture server = new ServerFixture(data)) {
            String token = server.login("ada@example.com", "correct horse");
            String id = server.post("/applications", token, "{\"name\":\"metered\",\"git_url\":\"https://git.example.com/m.git\"}")
                    .json().path("id").asText();
            String secret = server.post("/applications/" + id + "/webhooks", token, "{\"provider\":\"github\"}").json()
                    .path("secret").asText();
            byte[] ping = "{\"zen\":\"Practicality beats purity.\"}".getBytes(StandardCharsets.UTF_8);
            server.client.send(HttpRequest.newBuilder(server.uri("/webhooks/github?app_id=" + id)).header("X-GitHub-Event", "ping")
                    .header("X-GitHub-Delivery", "metrics-ping")
                    .header("X-Hub-Signature-256", "sha256=" + WebhookSignatures.hmacSha256Hex(secret, ping))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(ping)).build(), HttpResponse.BodyHandlers.discarding());
            server.get("/applications/nope", token);

            long deadline = System.nanoTime() + 5_000_000_000L;
            Map<String, Double> metrics;
            do {
                HttpResponse<String> scrape = server.client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.server.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(scrape.statusCode()).isEqualTo(200);
                assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
                metrics = parse(scrape.body());
            } while (!metrics.containsKey("ployer_webhook_deliveries_total{status=\"skipped\"}") && System.nanoTime() < deadline);

            assertThat(metrics).containsEntry("ployer_webhook_deliveries_total{status=\"skipped\"}", 1.0);
            assertThat(metrics.entrySet()).anySatisfy(entry -> {
                assertThat(entry.getKey()).startsWith("http_server_requests_seconds_count").contains("status=\"404\"");
                assertThat(entry.getValue()).isGreaterThanOrEqualTo(1.0);
            });
            assertThat(metrics.keySet()).anySatisfy(name -> assertThat(name).startsWith("jvm_memory_used_bytes"));
            assertThat(metrics.keySet()).noneSatisfy(name -> assertThat(name).contains(secret));
        }
    }
}
