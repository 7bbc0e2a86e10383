package io.ployer.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.deployment.DeploymentLogLine;
import io.ployer.api.event.PloyerEvent;
import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.storage.Storage;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deployment logs are redacted, stored up to their cap with one truncation notice, and all published live. */
class DeploymentLogTest {
    @TempDir
    Path directory;

    @Test
    void capsStoredLinesButPublishesEveryLine() {
        Storage storage = ServiceLoader.load(PloyerPlugin.class).stream().map(ServiceLoader.Provider::get)
                .flatMap(plugin -> plugin.storageFactories().stream()).filter(factory -> factory.name().equals("sqlite"))
                .findFirst().orElseThrow().create(Map.of("path", directory.resolve("db").toString()), new PluginContext() {
                });
        storage.start();
        try {
            var application = io.ployer.engine.deploy.TestingRecords.application();
            storage.applications().insert(application);
            var deployment = io.ployer.engine.deploy.TestingRecords.deployment(application.id());
            storage.deployments().insert(deployment);
            List<PloyerEvent> events = new CopyOnWriteArrayList<>();
            DeploymentLog log = new DeploymentLog(deployment.id(), application.id(), storage, Clock.systemUTC(),
                    line -> line.replace("topsecret", "********"), events::add, 100, 0);
            for (int i = 0; i < 20; i++) {
                log.write("build", "line " + i + " topsecret\n");
            }
            assertThat(storage.deployments().logs(deployment.id())).as("batched until flushed").isEmpty();
            log.flush();
            List<DeploymentLogLine> stored = storage.deployments().logs(deployment.id());
            assertThat(stored.size()).isLessThan(20);
            assertThat(stored.get(stored.size() - 1).line()).contains("log truncated");
            assertThat(stored).allSatisfy(line -> assertThat(line.line()).doesNotContain("topsecret").doesNotEndWith("\n"));
            assertThat(events).hasSize(20);
            assertThat(events).allSatisfy(event -> assertThat(event.toString()).doesNotContain("topsecret"));
        } finally {
            storage.close();
        }
    }

}
