package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A request cannot forge a request-log line: the decoded path's control characters are escaped. */
class LogInjectionTest {
    @TempDir
    Path data;

    @Test
    void anEncodedLineBreakInThePathIsEscapedInTheRequestLog() throws Exception {
        Logger requests = (Logger) LoggerFactory.getLogger("io.ployer.server.requests");
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        requests.addAppender(captured);
        try (ServerFixture server = new ServerFixture(data)) {
            String forged = "/api/v1/x%0d%0a2026-01-01T00:00:00.000Z%20INFO%20%20%5bmain%5d%20io.ployer.server.requests%20-%20POST"
                    + "%20/api/v1/auth/login%20200%200.1ms%c2%85%e2%80%a8%1b%5b31m%09end";
            HttpResponse<String> answer = server.client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.server.port() + forged)).build(), HttpResponse.BodyHandlers.ofString());
            // Control characters in a path are refused at the edge (StrictUrlHandler) …
            assertThat(answer.statusCode()).isEqualTo(400);
        } finally {
            requests.detachAppender(captured);
        }
        List<String> lines = captured.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(line -> line.contains("/api/v1/x")).toList();
        assertThat(lines).hasSize(1);
        String line = lines.get(0);
        // … and the request log line stays one line, whatever the path held.
        assertThat(line).startsWith("GET /api/v1/x").contains(" 400 ");
        assertThat(line.chars()).noneMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029);
    }
}
