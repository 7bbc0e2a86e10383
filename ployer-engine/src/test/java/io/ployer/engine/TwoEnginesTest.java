package io.ployer.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.Ployer;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.event.PloyerEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two engines in one JVM share nothing: not storage, not keys, not events. */
class TwoEnginesTest {
    @TempDir
    Path data;

    @Test
    void twoInstancesDoNotInterfere() throws Exception {
        try (Ployer first = EngineFixture.started(data.resolve("one"), Map.of());
             Ployer second = EngineFixture.started(data.resolve("two"), Map.of())) {
            List<PloyerEvent> secondEvents = new CopyOnWriteArrayList<>();
            second.events().subscribe(secondEvents::add);
            var app = first.applications().create(ApplicationSpec.named("alpha").withGit("https://git.example.com/a.git", "main"));
            first.applications().setEnvVar(app.id(), "KEY", "first-only", false);
            second.applications().create(ApplicationSpec.named("alpha").withGit("https://git.example.com/b.git", "main"));

            assertThat(first.applications().list()).extracting(a -> a.gitUrl()).containsExactly("https://git.example.com/a.git");
            assertThat(second.applications().list()).extracting(a -> a.gitUrl()).containsExactly("https://git.example.com/b.git");
            assertThat(second.applications().findByName("alpha").map(a -> second.applications().envVars(a.id()))).contains(List.of());
            assertThat(data.resolve("one/secret.key")).exists();
            assertThat(data.resolve("two/secret.key")).exists();
            assertThat(java.nio.file.Files.readAllBytes(data.resolve("one/secret.key")))
                    .isNotEqualTo(java.nio.file.Files.readAllBytes(data.resolve("two/secret.key")));
            first.close();
            assertThat(second.isRunning()).isTrue();
            assertThat(second.applications().list()).hasSize(1);
        }
    }
}
