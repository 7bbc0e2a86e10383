package io.ployer.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    @SuppressWarnings("try") // closes the first engine inside its try on purpose: the second must keep running
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

    /** Issue 19: a second engine on a directory in use is refused with a sentence; a maintenance engine is not. */
    @Test
    void aSecondEngineOnTheSameDirectoryIsRefused() throws Exception {
        Path shared = data.resolve("shared");
        try (Ployer first = EngineFixture.started(shared, Map.of())) {
            Ployer second = EngineFixture.builder(shared).build();
            assertThatThrownBy(second::start).isInstanceOf(io.ployer.api.PloyerException.class)
                    .hasMessageContaining("another Ployer is using the data directory");
            assertThat(second.isRunning()).isFalse();
            // a maintenance engine (a backup, a password reset) runs beside the server
            try (Ployer maintenance = EngineFixture.started(shared, Map.of("reconcile", "false"))) {
                assertThat(maintenance.applications().list()).isEqualTo(first.applications().list());
            }
            assertThat(first.isRunning()).isTrue();
        }
        // closed, the directory is free again
        try (Ployer again = EngineFixture.started(shared, Map.of())) {
            assertThat(again.isRunning()).isTrue();
        }
    }
}
