package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.PloyerException;
import io.ployer.server.http.ServerSettings;
import io.ployer.server.metrics.MetricsSettings;
import io.ployer.spi.git.WebhookSignatures;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /metrics is scraped and parsed as Prometheus text: JVM, HTTP and Ployer's own counters. It is
 * served on a listener of its own (loopback by default), and on the public listener only to the
 * bearer of the metrics token.
 */
class MetricsTest {
    private static final String TOKEN = "metrics-token-0123456789abcdef";

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

    private ServerFixture server(MetricsSettings metrics) {
        return new ServerFixture(data, Clock.systemUTC(), Map.of(), new ServerSettings(100_000, List.of()), metrics);
    }

    private static HttpResponse<String> scrape(ServerFixture server, int port, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return server.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void exposesJvmHttpAndWebhookMetricsOnTheMetricsListener() throws Exception {
        try (ServerFixture server = server(new MetricsSettings("127.0.0.1", 0, null))) {
            assertThat(server.server.metricsPort()).isPositive().isNotEqualTo(server.server.port());
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
                HttpResponse<String> scrape = scrape(server, server.server.metricsPort(), null);
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

            // The public listener does not serve them without a token; the metrics listener serves nothing else.
            HttpResponse<String> publicScrape = scrape(server, server.server.port(), null);
            assertThat(publicScrape.statusCode()).isEqualTo(404);
            assertThat(publicScrape.body()).contains("\"NOT_FOUND\"").contains("PLOYER_METRICS_PORT").doesNotContain("jvm_");
            assertThat(server.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.server.metricsPort()
                    + "/api/v1/health")).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void thePublicListenerServesMetricsOnlyToTheBearerOfTheMetricsToken() throws Exception {
        try (ServerFixture server = server(new MetricsSettings(null, MetricsSettings.OFF, TOKEN))) {
            assertThat(server.server.metricsPort()).isEqualTo(-1);
            int port = server.server.port();
            for (String refused : new String[] {null, "Bearer wrong-token-0123456789abcdef", "Bearer " + TOKEN + "x", "Basic " + TOKEN}) {
                HttpResponse<String> answer = scrape(server, port, refused);
                assertThat(answer.statusCode()).as(String.valueOf(refused)).isEqualTo(401);
                assertThat(answer.body()).contains("\"UNAUTHENTICATED\"").doesNotContain("jvm_");
                assertThat(answer.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            }
            // A user's own login does not open them either: they are the operator's.
            String login = server.login("ada@example.com", "correct horse");
            assertThat(scrape(server, port, "Bearer " + login).statusCode()).isEqualTo(401);

            HttpResponse<String> scraped = scrape(server, port, "Bearer " + TOKEN);
            assertThat(scraped.statusCode()).isEqualTo(200);
            assertThat(parse(scraped.body()).keySet()).anySatisfy(name -> assertThat(name).startsWith("jvm_memory_used_bytes"));
        }
    }

    @Test
    void aServerWithoutMetricsSettingsServesNoMetricsOnThePublicListener() throws Exception {
        try (ServerFixture server = new ServerFixture(data)) {
            HttpResponse<String> answer = scrape(server, server.server.port(), null);
            assertThat(answer.statusCode()).isEqualTo(404);
            assertThat(answer.body()).contains("\"error\"").doesNotContain("jvm_");
            assertThat(server.server.metricsPort()).isEqualTo(-1);
        }
    }

    @Test
    void aMetricsPortInUseStopsTheStartWithAClearMessage() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             io.ployer.api.Ployer ployer = io.ployer.api.Ployer.builder().dataDirectory(data).build()) {
            ployer.start();
            io.ployer.server.wiring.PloyerServer server = new io.ployer.server.wiring.PloyerServer(ployer, "test",
                    new ServerSettings(100_000, List.of()), new MetricsSettings("127.0.0.1", taken.getLocalPort(), null));
            assertThatThrownBy(() -> server.start("127.0.0.1", 0)).isInstanceOf(PloyerException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort() + " (PLOYER_METRICS_PORT");
            server.close();
        }
    }

    @Test
    void metricsSettingsComeFromTheEnvironmentAndBadOnesNameTheirVariable() {
        MetricsSettings defaults = MetricsSettings.fromEnvironment(Map.of());
        assertThat(defaults.host()).isEqualTo("127.0.0.1");
        assertThat(defaults.port()).isEqualTo(9464);
        assertThat(defaults.token()).isNull();
        assertThat(MetricsSettings.fromEnvironment(Map.of("PLOYER_METRICS_PORT", "off")).ownListener()).isFalse();
        MetricsSettings custom = MetricsSettings.fromEnvironment(Map.of("PLOYER_METRICS_PORT", "9100",
                "PLOYER_METRICS_HOST", "0.0.0.0", "PLOYER_METRICS_TOKEN", TOKEN));
        assertThat(custom).isEqualTo(new MetricsSettings("0.0.0.0", 9100, TOKEN));
        assertThat(custom.toString()).doesNotContain(TOKEN);

        for (String port : new String[] {"0", "65536", "nine", "-1"}) {
            assertThatThrownBy(() -> MetricsSettings.fromEnvironment(Map.of("PLOYER_METRICS_PORT", port)))
                    .isInstanceOfSatisfying(PloyerException.class, e -> assertThat(e.field()).contains("PLOYER_METRICS_PORT"));
        }
        assertThatThrownBy(() -> MetricsSettings.fromEnvironment(Map.of("PLOYER_METRICS_TOKEN", "short")))
                .isInstanceOfSatisfying(PloyerException.class, e -> assertThat(e.field()).contains("PLOYER_METRICS_TOKEN"));
    }
}
