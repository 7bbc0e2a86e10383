package io.ployer.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.PloyerException;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.engine.application.DefaultApplicationService;
import io.ployer.engine.deploy.SourceCheckout;
import io.ployer.engine.network.NetworkTargets;
import io.ployer.engine.secret.SecretRedactor;
import io.ployer.engine.source.GitUrlRules;
import io.ployer.spi.plugin.Cancellation;
import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.build.BuildStrategy;
import io.ployer.spi.storage.Storage;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repository host is checked again right before the clone: a name that resolved to an allowed address when
 * the URL was set and to the metadata address now is refused without a connection attempt. The name is
 * resolved by a table (no DNS).
 */
class GitSourceCheckoutHostTest {
    @TempDir
    Path directory;

    @Test
    void theHostIsCheckedAgainBeforeTheClone() throws Exception {
        Storage storage = ServiceLoader.load(PloyerPlugin.class).stream().map(ServiceLoader.Provider::get)
                .flatMap(plugin -> plugin.storageFactories().stream()).filter(factory -> factory.name().equals("sqlite"))
                .findFirst().orElseThrow().create(Map.of("path", directory.resolve("db").toString()), new PluginContext() {
                });
        storage.start();
        try {
            AtomicInteger lookups = new AtomicInteger();
            NetworkTargets.Resolver rebinding = host -> {
                if (!host.equals("forge.rebind.test")) {
                    throw new UnknownHostException(host);
                }
                return new InetAddress[] {InetAddress.getByName(lookups.getAndIncrement() == 0 ? "140.82.112.3" : "169.254.169.254")};
            };
            BuildStrategy dockerfile = (request, runtime, log, cancellation) -> {
                throw new AssertionError("no build here");
            };
            NetworkTargets targets = new NetworkTargets(rebinding, true);
            DefaultApplicationService applications = new DefaultApplicationService(storage, null, new SecretRedactor(), Clock.systemUTC(),
                    Map.of("dockerfile", dockerfile), new GitUrlRules.Policy(false, false), targets, false,
                    Optional.empty());
            Application application = applications.create(ApplicationSpec.named("rebound")
                    .withGit("https://forge.rebind.test/team/app.git", "main"));
            assertThat(lookups.get()).isEqualTo(1);

            Path workspaces = directory.resolve("workspaces");
            List<String> log = new ArrayList<>();
            assertThatThrownBy(() -> new GitSourceCheckout(targets, workspaces)
                    .checkout(application, null, SourceCheckout.Credentials.NONE, log::add, Cancellation.NONE))
                    .isInstanceOfSatisfying(PloyerException.class, error -> assertThat(error.getMessage())
                            .contains("forge.rebind.test").contains("169.254.169.254").contains("never allowed"));
            assertThat(lookups.get()).isEqualTo(2);
            assertThat(log).isEmpty();
            assertThat(Files.exists(workspaces.resolve(application.id()))).as("nothing cloned").isFalse();
        } finally {
            storage.close();
        }
    }
}
