package io.ployer.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class LogConfigurationTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final LoggerContext context = new LoggerContext();

    {
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    }

    private List<String> lines() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void logbackFindsItThroughTheServiceLoader() {
        assertThat(ServiceLoader.load(ch.qos.logback.classic.spi.Configurator.class).stream()
                .map(provider -> provider.type().getName())).contains(LogConfiguration.class.getName());
    }

    @Test
    void writesOnePlainLinePerEventByDefault() {
        LogConfiguration.apply(context, Map.of(), LogConfiguration.appenderTo(out));
        Logger log = context.getLogger("io.ployer.test");
        log.info("deployed {} in {} ms", "app", 42);
        log.debug("not shown at INFO");
        log.warn("failed", new IllegalStateException("boom"));
        context.stop();
        List<String> lines = lines();
        assertThat(lines.get(0)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\S+ INFO  \\[[^]]+] io\\.ployer\\.test - deployed app in 42 ms");
        assertThat(lines.get(1)).contains(" WARN  [").endsWith("io.ployer.test - failed");
        assertThat(lines.get(2)).contains("java.lang.IllegalStateException: boom");
        assertThat(String.join("\n", lines)).doesNotContain("not shown");
    }

    @Test
    void logFormatJsonWritesJsonLinesAndLogLevelSetsTheRoot() throws Exception {
        LogConfiguration.apply(context, Map.of("LOG_FORMAT", "json", "LOG_LEVEL", "DEBUG"), LogConfiguration.appenderTo(out));
        context.getLogger("io.ployer.test").debug("checked {}", "app-1");
        context.stop();
        List<String> lines = lines();
        assertThat(lines).hasSize(1);
        JsonNode line = new ObjectMapper().readTree(lines.get(0));
        assertThat(line.get("level").asText()).isEqualTo("DEBUG");
        assertThat(line.get("loggerName").asText()).isEqualTo("io.ployer.test");
        assertThat(line.get("formattedMessage").asText()).isEqualTo("checked app-1");
    }

    private static final String FORGERY = "GET /x\r\n2026-01-01T00:00:00.000Z INFO  [main] io.ployer.server.requests - "
            + "POST /api/v1/auth/login 200\u0085\u2028\u001b[31m\tend";

    @Test
    void controlCharactersInAMessageAreEscapedInPlainLines() {
        LogConfiguration.apply(context, Map.of(), LogConfiguration.appenderTo(out));
        context.getLogger("io.ployer.test").info("request {}", FORGERY);
        context.getLogger("io.ployer.test").info("next");
        context.stop();
        List<String> lines = lines();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).endsWith("io.ployer.test - request GET /x\\r\\n2026-01-01T00:00:00.000Z INFO  [main] "
                + "io.ployer.server.requests - POST /api/v1/auth/login 200\\u0085\\u2028\\u001b[31m\\tend");
        assertThat(lines.get(1)).endsWith("io.ployer.test - next");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("\u0085").doesNotContain("\u2028").doesNotContain("\u001b");
    }

    @Test
    void controlCharactersInAnExceptionMessageAreEscapedButTheStackTraceKeepsItsLines() {
        LogConfiguration.apply(context, Map.of(), LogConfiguration.appenderTo(out));
        context.getLogger("io.ployer.test").warn("request failed",
                new IllegalArgumentException("Unrecognized token 'x': was expecting\r\nFORGED ERROR line", new IllegalStateException("cause\nFORGED")));
        context.stop();
        List<String> lines = lines();
        assertThat(lines).noneSatisfy(line -> assertThat(line).startsWith("FORGED"));
        assertThat(lines.get(1)).isEqualTo("java.lang.IllegalArgumentException: Unrecognized token 'x': was expecting\\r\\nFORGED ERROR line");
        assertThat(lines).anySatisfy(line -> assertThat(line).isEqualTo("Caused by: java.lang.IllegalStateException: cause\\nFORGED"));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("\tat io.ployer.server.logging.LogConfigurationTest"));
    }

    @Test
    void controlCharactersInAMessageAreEscapedInJsonLinesToo() throws Exception {
        LogConfiguration.apply(context, Map.of("LOG_FORMAT", "json"), LogConfiguration.appenderTo(out));
        context.getLogger("io.ployer.test").info("request {}", FORGERY);
        context.stop();
        List<String> lines = lines();
        assertThat(lines).hasSize(1);
        // Decoded, the message still holds no control character: a reader printing it prints one line.
        String message = new ObjectMapper().readTree(lines.get(0)).get("formattedMessage").asText();
        assertThat(message).isEqualTo("request GET /x\\r\\n2026-01-01T00:00:00.000Z INFO  [main] io.ployer.server.requests - "
                + "POST /api/v1/auth/login 200\\u0085\\u2028\\u001b[31m\\tend");
    }

    @Test
    void clientWireLogsStayQuietEvenAtDebug() {
        // httpclient5 and docker-java print request bodies (env values, build args) at DEBUG.
        LogConfiguration.apply(context, Map.of("LOG_LEVEL", "DEBUG"), LogConfiguration.appenderTo(out));
        context.getLogger("org.apache.hc.client5.http.wire").debug("http-outgoing-0 >> SECRET=hunter2");
        context.getLogger("com.github.dockerjava.core").debug("build arg SECRET=hunter2");
        context.getLogger("io.ployer.engine").debug("shown");
        context.stop();
        assertThat(lines()).hasSize(1).allSatisfy(line -> assertThat(line).endsWith("io.ployer.engine - shown"));
    }
}
