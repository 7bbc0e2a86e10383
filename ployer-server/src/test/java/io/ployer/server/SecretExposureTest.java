package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ployer.server.ServerFixture.Answer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** No secret (env value, password, token, webhook secret) shows in a response that did not ask for it, nor in the log. */
class SecretExposureTest {
    static final String ENV_SECRET = "env-secret-9d8c7b6a";
    static final String PASSWORD = "password-5e4d3c2b";

    @TempDir
    Path data;

    @Test
    void secretsStayOutOfResponsesAndLogs() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        List<Answer> answers = new ArrayList<>();
        String token;
        try (ServerFixture server = new ServerFixture(data)) {
            answers.add(server.post("/auth/register", null, "{\"email\":\"ada@example.com\",\"password\":\"" + PASSWORD + "\"}"));
            Answer login = server.post("/auth/login", null, "{\"email\":\"ada@example.com\",\"password\":\"" + PASSWORD + "\"}");
            token = login.json().path("token").asText();
            answers.add(server.post("/auth/login", null, "{\"email\":\"ada@example.com\",\"password\":\"wrong-" + PASSWORD + "\"}"));
            Answer created = server.post("/applications", token, "{\"name\":\"vault\",\"git_url\":\"https://git.example.com/v.git\"}");
            answers.add(created);
            String app = "/applications/" + created.json().path("id").asText();
            answers.add(server.post(app + "/envs", token, "{\"key\":\"API_TOKEN\",\"value\":\"" + ENV_SECRET + "\"}"));
            answers.add(server.send("PUT", app + "/envs/API_TOKEN", token, "{\"value\":\"" + ENV_SECRET + "\"}"));
            answers.add(server.get(app + "/envs", token));
            answers.add(server.get(app, token));
            answers.add(server.get("/applications", token));
            answers.add(server.get(app + "/deploy-key", token));
            answers.add(server.get("/auth/me", token));
            answers.add(server.post(app + "/envs", token, "{\"key\":\"BAD KEY\",\"value\":\"" + ENV_SECRET + "\"}"));

            Answer revealed = server.get(app + "/envs?reveal=true", token);
            assertThat(revealed.body()).contains(ENV_SECRET);
        } finally {
            root.detachAppender(captured);
        }
        for (Answer answer : answers) {
            assertThat(answer.body()).doesNotContain(ENV_SECRET).doesNotContain(PASSWORD).doesNotContain(token)
                    .doesNotContain("OPENSSH PRIVATE KEY");
        }
        for (ILoggingEvent event : captured.list) {
            String line = event.getFormattedMessage() + (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage());
            assertThat(line).doesNotContain(ENV_SECRET).doesNotContain(PASSWORD).doesNotContain(token);
        }
        assertThat(captured.list).isNotEmpty();
    }
}
