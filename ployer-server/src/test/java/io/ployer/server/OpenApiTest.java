package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ployer.server.ServerFixture.Answer;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAPI document lists exactly the routes the server serves, and each documented route answers. */
class OpenApiTest {
    @TempDir
    Path data;

    @Test
    void documentsEveryLiveRouteAndNothingElse() {
        try (ServerFixture server = new ServerFixture(data)) {
            Answer answer = server.get("/openapi.json", null);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.json().path("openapi").asText()).startsWith("3.");
            Set<String> documented = new TreeSet<>();
            Iterator<Map.Entry<String, JsonNode>> paths = answer.json().path("paths").properties().iterator();
            while (paths.hasNext()) {
                Map.Entry<String, JsonNode> path = paths.next();
                path.getValue().fieldNames().forEachRemaining(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey()));
            }
            Set<String> live = new TreeSet<>(server.server.liveRoutes());
            live.add("GET /ws");
            assertThat(documented).isEqualTo(live);
            assertThat(documented).contains("GET /health", "POST /applications/{id}/deploy", "GET /deployments/{id}/logs",
                    "POST /auth/login", "GET /containers/{id}/stats", "POST /servers/{id}/validate");

            String token = server.login("ada@example.com", "correct horse");
            for (String route : documented) {
                String method = route.substring(0, route.indexOf(' '));
                String path = route.substring(route.indexOf(' ') + 1).replaceAll("\\{[^}]+}", "probe");
                if (path.equals("/ws")) {
                    continue;
                }
                Answer probe = server.send(method, path, token, method.equals("GET") || method.equals("DELETE") ? null : "{}");
                // The route exists: whatever it says, it is not "no such resource" nor "method not allowed".
                assertThat(probe.status()).as(route + " → " + probe.body()).isNotEqualTo(405);
                assertThat(probe.body()).as(route).doesNotContain("no such resource");
                assertThat(probe.status()).as(route + " → " + probe.body()).isLessThan(500);
            }
        }
    }
}
