package io.ployer.engine.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ployer.api.Ployer;
import io.ployer.api.PloyerException;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.event.PloyerEvent;
import io.ployer.api.notification.ChannelSpec;
import io.ployer.api.notification.NotificationChannel;
import io.ployer.api.notification.NotificationDelivery;
import io.ployer.api.notification.NotificationEvent;
import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.notify.Notifier;
import io.ployer.spi.notify.NotifierFactory;
import io.ployer.testkit.notify.HttpReceiver;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Channels of one project hear only about that project's applications; preview events notify; a
 * retry waiting when the engine stops is sent by the next engine; old delivery records are pruned.
 */
class NotificationChannelScopeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    private final AtomicReference<PluginContext> engineContext = new AtomicReference<>();

    private Ployer engine(Clock clock, String initialBackoff) {
        Ployer ployer = Ployer.builder().dataDirectory(data).clock(clock).plugin(new CapturingPlugin(engineContext))
                .config("notifications.initial-backoff", initialBackoff).config("notifications.max-backoff", "2h")
                .config("notifications.max-attempts", "3").build();
        ployer.start();
        return ployer;
    }

    private NotificationChannel channel(Ployer ployer, String name, String project, Set<NotificationEvent> events, HttpReceiver receiver) {
        return ployer.notifications().createChannel(new ChannelSpec(name, "webhook", project, events,
                Map.of("url", receiver.url("/" + name)), null));
    }

    /** Publishes an event as an engine component would (the capturing channel makes the engine hand over its context). */
    private void publish(Ployer ployer, PloyerEvent event) {
        ployer.notifications().createChannel(new ChannelSpec("capture-" + System.nanoTime(), "capture", null,
                Set.of(NotificationEvent.BACKUP_FAILED), Map.of(), false));
        engineContext.get().publish(event);
    }

    private List<NotificationDelivery> deliveries(Ployer ployer, String channelId, int atLeast) throws InterruptedException {
        for (int round = 0; round < 300; round++) {
            List<NotificationDelivery> found = ployer.notifications().deliveries(channelId, 50);
            if (found.size() >= atLeast) {
                return found;
            }
            Thread.sleep(50);
        }
        return ployer.notifications().deliveries(channelId, 50);
    }

    @Test
    void aProjectsChannelHearsOnlyItsProjectAndPreviewsNotify() throws Exception {
        try (HttpReceiver receiver = HttpReceiver.start(); Ployer ployer = engine(Clock.systemUTC(), "100ms")) {
            ployer.projects().create("team-b", "Team B");
            Application shop = ployer.applications().create(ApplicationSpec.named("shop").withGit("https://git.example.com/t/shop.git", "main"));
            Set<NotificationEvent> wanted = Set.of(NotificationEvent.DEPLOYMENT_FAILED, NotificationEvent.PREVIEW_READY);
            assertThatThrownBy(() -> channel(ployer, "nowhere", "no-such-project", wanted, receiver))
                    .isInstanceOfSatisfying(PloyerException.class, e -> assertThat(e.field()).contains("project_id"));
            NotificationChannel mine = channel(ployer, "mine", "default", wanted, receiver);
            NotificationChannel theirs = channel(ployer, "theirs", "team-b", wanted, receiver);
            NotificationChannel everyone = channel(ployer, "everyone", null, wanted, receiver);

            publish(ployer, new PloyerEvent.DeploymentStatusChanged("d-1", shop.id(), DeploymentStatus.BUILDING,
                    DeploymentStatus.FAILED, "the build failed", Instant.now()));
            publish(ployer, new PloyerEvent.PreviewChanged(shop.id(), 7, "https://pr-7.shop.example.com", "ready", null,
                    Instant.now()));

            assertThat(deliveries(ployer, mine.id(), 2)).hasSize(2);
            assertThat(deliveries(ployer, everyone.id(), 2)).hasSize(2);
            assertThat(ployer.notifications().deliveries(theirs.id(), 50)).isEmpty();
            List<String> paths = receiver.requests().stream().map(HttpReceiver.Request::path).toList();
            assertThat(paths).doesNotContain("/theirs");
            JsonNode preview = receiver.requests().stream().filter(request -> request.path().equals("/mine"))
                    .map(request -> {
                        try {
                            return JSON.readTree(request.text());
                        } catch (java.io.IOException e) {
                            throw new AssertionError(e);
                        }
                    }).filter(body -> body.path("event").asText().equals("preview_ready")).findFirst().orElseThrow();
            assertThat(preview.path("title").asText()).isEqualTo("Preview of pull request #7 of shop is ready");
            assertThat(preview.path("text").asText()).contains("Preview: https://pr-7.shop.example.com");
        }
    }

    @Test
    void certificateEventsReachTheirProjectsChannelWithAppHostProblemAndExpiry() throws Exception {
        try (HttpReceiver receiver = HttpReceiver.start(); Ployer ployer = engine(Clock.systemUTC(), "100ms")) {
            ployer.projects().create("team-b", "Team B");
            Application shop = ployer.applications().create(ApplicationSpec.named("shop").withGit("https://git.example.com/t/shop.git", "main"));
            Set<NotificationEvent> wanted = Set.of(NotificationEvent.CERTIFICATE_PROBLEM, NotificationEvent.CERTIFICATE_RECOVERED);
            NotificationChannel mine = channel(ployer, "mine", "default", wanted, receiver);
            NotificationChannel theirs = channel(ployer, "theirs", "team-b", wanted, receiver);
            NotificationChannel deploysOnly = channel(ployer, "deploys", null, Set.of(NotificationEvent.DEPLOYMENT_FAILED), receiver);
            Instant expires = Instant.parse("2026-12-20T08:00:00Z");
            publish(ployer, new PloyerEvent.CertificateProblem(shop.id(), "shop.example.com", "expired",
                    "The certificate of shop.example.com expired on 2026-12-01 08:00 UTC.", Instant.parse("2026-12-01T08:00:00Z"),
                    Instant.now()));
            assertThat(deliveries(ployer, mine.id(), 1)).hasSize(1);
            JsonNode problem = JSON.readTree(receiver.take(Duration.ofSeconds(10)).text());
            assertThat(problem.path("event").asText()).isEqualTo("certificate_problem");
            assertThat(problem.path("title").asText()).isEqualTo("Certificate problem for shop.example.com (shop)");
            assertThat(problem.path("text").asText()).isEqualTo("Certificate problem for shop.example.com (shop).\nApp: shop"
                    + "\nHost: shop.example.com\nExpires: 2026-12-01T08:00:00Z"
                    + "\nReason: The certificate of shop.example.com expired on 2026-12-01 08:00 UTC.");
            assertThat(problem.path("reason").asText()).isEqualTo("The certificate of shop.example.com expired on 2026-12-01 08:00 UTC.");

            publish(ployer, new PloyerEvent.CertificateRecovered(shop.id(), "shop.example.com", "expired", expires, Instant.now()));
            JsonNode recovered = JSON.readTree(receiver.take(Duration.ofSeconds(10)).text());
            assertThat(recovered.path("event").asText()).isEqualTo("certificate_recovered");
            assertThat(recovered.path("text").asText()).isEqualTo("Certificate fine again for shop.example.com (shop).\nApp: shop"
                    + "\nHost: shop.example.com\nExpires: 2026-12-20T08:00:00Z");
            assertThat(recovered.path("reason").isNull()).isTrue();
            assertThat(ployer.notifications().deliveries(theirs.id(), 50)).isEmpty();
            assertThat(ployer.notifications().deliveries(deploysOnly.id(), 50)).isEmpty();
        }
    }

    @Test
    void aWaitingRetrySurvivesARestartAndOldAttemptsArePruned() throws Exception {
        try (HttpReceiver receiver = HttpReceiver.start()) {
            receiver.failNext(1, 503);
            String channelId;
            String firstDelivery;
            try (Ployer first = engine(Clock.systemUTC(), "1h")) {
                Application shop = first.applications().create(ApplicationSpec.named("shop").withGit("https://git.example.com/t/shop.git", "main"));
                channelId = channel(first, "ops", null, Set.of(NotificationEvent.DEPLOYMENT_FAILED), receiver).id();
                publish(first, new PloyerEvent.DeploymentStatusChanged("d-1", shop.id(), DeploymentStatus.BUILDING,
                        DeploymentStatus.FAILED, "the build failed", Instant.now()));
                List<NotificationDelivery> attempts = deliveries(first, channelId, 1);
                assertThat(attempts).extracting(NotificationDelivery::status).containsExactly(NotificationDelivery.Status.RETRYING);
                firstDelivery = receiver.take(Duration.ofSeconds(10)).header("X-Ployer-Delivery");
            } // stopped an hour before the retry is due

            // Two hours later another engine starts on the same data: the retry is past due and goes now.
            try (Ployer second = engine(Clock.offset(Clock.systemUTC(), Duration.ofHours(2)), "1h")) {
                HttpReceiver.Request retried = receiver.take(Duration.ofSeconds(30));
                assertThat(retried.header("X-Ployer-Delivery")).isEqualTo(firstDelivery);
                List<NotificationDelivery> attempts = deliveries(second, channelId, 2);
                assertThat(attempts).extracting(NotificationDelivery::attempt).containsExactly(2, 1);
                assertThat(attempts.get(0).status()).isEqualTo(NotificationDelivery.Status.DELIVERED);
            }

            // Forty days later (retention 30 days): the daily trim at start deletes both attempts, and nothing is resent.
            try (Ployer third = engine(Clock.offset(Clock.systemUTC(), Duration.ofDays(40)), "1h")) {
                for (int round = 0; round < 300 && !third.notifications().deliveries(channelId, 50).isEmpty(); round++) {
                    Thread.sleep(50);
                }
                assertThat(third.notifications().deliveries(channelId, 50)).isEmpty();
                assertThat(receiver.requests()).hasSize(2);
            }
        }
    }

    /** Hands the test the context the engine gives plugins (its publish() feeds the engine's bus); offers no notifier. */
    private record CapturingPlugin(AtomicReference<PluginContext> context) implements PloyerPlugin {
        @Override
        public List<NotifierFactory> notifierFactories() {
            return List.of(new NotifierFactory() {
                @Override
                public String name() {
                    return "capture";
                }

                @Override
                public Notifier create(Map<String, String> config, PluginContext pluginContext) {
                    context.set(pluginContext);
                    return notification -> {
                    };
                }
            });
        }
    }
}
