package io.ployer.engine.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ployer.api.Ployer;
import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notifications through a real engine (SQLite) and the bundled webhook notifier posting to a real
 * receiver on 127.0.0.1: events become messages, failures are retried with backoff, every attempt
 * is recorded, and no secret reaches a payload, a response or the database in clear.
 */
class NotificationDeliveryTest {
    private static final String WEBHOOK_SECRET = "hmac-secret-of-the-channel-1234";
    private static final String APP_SECRET = "app-password-8d1f2e7c";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;
    private HttpReceiver receiver;
    private Ployer ployer;
    /** The context the engine hands notifiers; its publish() feeds the engine's event bus. */
    private final AtomicReference<PluginContext> engineContext = new AtomicReference<>();

    @BeforeEach
    void start() {
        receiver = HttpReceiver.start();
        ployer = Ployer.builder().dataDirectory(data)
                .plugin(new ContextCapturingPlugin(engineContext))
                .config("notifications.initial-backoff", "100ms")
                .config("notifications.max-backoff", "400ms")
                .config("notifications.max-attempts", "3")
                .config("notifications.dashboard-url", "https://ployer.example.com/")
                .build();
        ployer.start();
    }

    @AfterEach
    void stop() {
        ployer.close();
        receiver.close();
    }

    private NotificationChannel webhookChannel(Set<NotificationEvent> events) {
        return ployer.notifications().createChannel(new ChannelSpec("ops hook", "webhook", null, events,
                Map.of("url", receiver.url("/hook"), "secret", WEBHOOK_SECRET), null));
    }

    /** Publishes an event as an engine component would (through the context the engine gave a plugin). */
    private void publish(PloyerEvent event) {
        ployer.notifications().createChannel(new ChannelSpec("capture-" + System.nanoTime(), "capture", null,
                Set.of(NotificationEvent.BACKUP_FAILED), Map.of(), false));
        engineContext.get().publish(event);
    }

    private List<NotificationDelivery> waitForDeliveries(String channelId, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        List<NotificationDelivery> deliveries = ployer.notifications().deliveries(channelId, 50);
        while (deliveries.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
            deliveries = ployer.notifications().deliveries(channelId, 50);
        }
        return deliveries;
    }

    @Test
    void aBackupIsReportedAndAFailingReceiverIsRetriedWithBackoffUntilItTakesTheMessage() throws Exception {
        receiver.failNext(2, 503);
        NotificationChannel channel = webhookChannel(Set.of(NotificationEvent.BACKUP_SUCCEEDED));

        ployer.administration().backup(data.resolve("copy.db"));

        HttpReceiver.Request first = receiver.take(Duration.ofSeconds(10));
        HttpReceiver.Request second = receiver.take(Duration.ofSeconds(10));
        HttpReceiver.Request third = receiver.take(Duration.ofSeconds(10));
        assertThat(List.of(first, second, third)).extracting(request -> request.header("X-Ployer-Delivery")).containsOnly(
                first.header("X-Ployer-Delivery"));
        JsonNode body = JSON.readTree(third.text());
        assertThat(body.get("event").asText()).isEqualTo("backup_succeeded");
        assertThat(body.get("title").asText()).isEqualTo("Backup succeeded");

        List<NotificationDelivery> attempts = waitForDeliveries(channel.id(), 3);
        assertThat(attempts).extracting(NotificationDelivery::attempt).containsExactly(3, 2, 1);
        assertThat(attempts).extracting(NotificationDelivery::status).containsExactly(NotificationDelivery.Status.DELIVERED,
                NotificationDelivery.Status.RETRYING, NotificationDelivery.Status.RETRYING);
        assertThat(attempts.get(2).error()).contains("HTTP 503");
        assertThat(attempts.get(2).nextAttemptAt()).isNotNull();
        // Backoff: 100ms after the first failure, 200ms after the second.
        assertThat(Duration.between(attempts.get(2).attemptedAt(), attempts.get(1).attemptedAt())).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        assertThat(Duration.between(attempts.get(1).attemptedAt(), attempts.get(0).attemptedAt())).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void aBackupIsReportedEvenWhenTheEngineClosesRightAfterIt() {
        webhookChannel(Set.of(NotificationEvent.BACKUP_SUCCEEDED));
        ployer.administration().backup(data.resolve("copy.db"));
        ployer.close(); // as bin/ployer backup does
        assertThat(receiver.take(Duration.ofSeconds(5)).header("X-Ployer-Event")).isEqualTo("backup_succeeded");
    }

    @Test
    void givesUpAfterTheLastAttemptAndRecordsTheFailure() throws InterruptedException {
        receiver.failNext(3, 500);
        NotificationChannel channel = webhookChannel(Set.of(NotificationEvent.BACKUP_SUCCEEDED));
        ployer.administration().backup(data.resolve("copy.db"));
        List<NotificationDelivery> attempts = waitForDeliveries(channel.id(), 3);
        assertThat(attempts).extracting(NotificationDelivery::status).containsExactly(NotificationDelivery.Status.FAILED,
                NotificationDelivery.Status.RETRYING, NotificationDelivery.Status.RETRYING);
        assertThat(attempts.get(0).nextAttemptAt()).isNull();
    }

    @Test
    void aFailedDeploymentSaysWhatWhichAppWhyAndLinksTheDashboardWithoutAnySecret() throws Exception {
        Application app = ployer.applications().create(ApplicationSpec.named("shop")
                .withGit("https://git.example.com/team/shop.git", "main"));
        ployer.applications().setEnvVar(app.id(), "DATABASE_PASSWORD", APP_SECRET, false);
        NotificationChannel channel = webhookChannel(Set.of(NotificationEvent.DEPLOYMENT_FAILED));

        publish(new PloyerEvent.DeploymentStatusChanged("d-1", app.id(), DeploymentStatus.STARTING, DeploymentStatus.FAILED,
                "the container exited: could not connect with password " + APP_SECRET, Instant.now()));

        HttpReceiver.Request request = receiver.take(Duration.ofSeconds(10));
        String payload = request.text();
        JsonNode body = JSON.readTree(payload);
        assertThat(body.get("event").asText()).isEqualTo("deployment_failed");
        assertThat(body.get("title").asText()).isEqualTo("Deployment of shop failed");
        assertThat(body.get("application").asText()).isEqualTo("shop");
        assertThat(body.get("reason").asText()).startsWith("the container exited");
        assertThat(body.get("link").asText()).isEqualTo("https://ployer.example.com/applications/" + app.id() + "/deployments/d-1");
        // The grep: neither the app's secret nor any of the channel's is anywhere in what was sent.
        assertThat(payload).doesNotContain(APP_SECRET).doesNotContain(WEBHOOK_SECRET).doesNotContain(receiver.url("/hook"))
                .contains("********");
        assertThat(request.headers().toString()).doesNotContain(WEBHOOK_SECRET);
        assertThat(waitForDeliveries(channel.id(), 1)).extracting(NotificationDelivery::status)
                .containsExactly(NotificationDelivery.Status.DELIVERED);
    }

    @Test
    void everyKindOfEventBecomesItsNotificationAndStateRepeatsDoNot() throws Exception {
        Application app = ployer.applications().create(ApplicationSpec.named("api")
                .withGit("https://git.example.com/team/api.git", "main"));
        webhookChannel(Set.of(NotificationEvent.values()).stream().filter(event -> event != NotificationEvent.TEST)
                .collect(java.util.stream.Collectors.toSet()));
        String serverId = ployer.servers().list().get(0).id();
        Instant now = Instant.now();
        List<PloyerEvent> events = List.of(
                new PloyerEvent.DeploymentStatusChanged("d-2", app.id(), DeploymentStatus.SWITCHING, DeploymentStatus.RUNNING, null, now),
                new PloyerEvent.DeploymentStatusChanged("d-3", app.id(), DeploymentStatus.BUILDING, DeploymentStatus.CANCELLED,
                        "cancelled on request", now),
                new PloyerEvent.DeploymentStatusChanged("d-4", app.id(), DeploymentStatus.QUEUED, DeploymentStatus.CLONING, null, now),
                new PloyerEvent.HealthChanged(app.id(), io.ployer.api.health.HealthStatus.HEALTHY,
                        io.ployer.api.health.HealthStatus.UNHEALTHY, "GET /health answered 502", now),
                new PloyerEvent.HealthChanged(app.id(), io.ployer.api.health.HealthStatus.UNHEALTHY,
                        io.ployer.api.health.HealthStatus.HEALTHY, null, now),
                new PloyerEvent.HealthChanged(app.id(), io.ployer.api.health.HealthStatus.HEALTHY,
                        io.ployer.api.health.HealthStatus.HEALTHY, null, now),
                new PloyerEvent.CrashLoopDetected(app.id(), 3, now),
                new PloyerEvent.ServerStatusChanged(serverId, io.ployer.api.server.ServerStatus.ONLINE,
                        io.ployer.api.server.ServerStatus.OFFLINE, "ssh: connection refused", now),
                new PloyerEvent.ServerStatusChanged(serverId, io.ployer.api.server.ServerStatus.OFFLINE,
                        io.ployer.api.server.ServerStatus.ONLINE, null, now));
        for (PloyerEvent event : events) {
            publish(event);
        }
        List<String> titles = new java.util.ArrayList<>();
        List<String> kinds = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            JsonNode body = JSON.readTree(receiver.take(Duration.ofSeconds(10)).text());
            kinds.add(body.get("event").asText());
            titles.add(body.get("title").asText());
        }
        Thread.sleep(300); // time for a wrong eighth message (a repeated state, a step of a deployment) to arrive
        assertThat(receiver.requests()).hasSize(7);
        assertThat(kinds).containsExactlyInAnyOrder("deployment_succeeded", "deployment_cancelled", "health_down",
                "health_recovered", "crash_loop", "server_unreachable", "server_back");
        assertThat(titles).contains("Deployment of api succeeded", "Application api is down", "Application api is crash-looping",
                "Server " + ployer.servers().list().get(0).name() + " is unreachable");
    }

    @Test
    void channelsOnlyGetTheEventsTheyAskedFor() throws InterruptedException {
        NotificationChannel deployments = webhookChannel(Set.of(NotificationEvent.DEPLOYMENT_SUCCEEDED));
        ployer.administration().backup(data.resolve("copy.db"));
        NotificationDelivery test = ployer.notifications().test(deployments.id());
        assertThat(test.status()).isEqualTo(NotificationDelivery.Status.DELIVERED);
        assertThat(receiver.take(Duration.ofSeconds(5)).header("X-Ployer-Event")).isEqualTo("test");
        Thread.sleep(500); // time for a wrongly sent backup notification to arrive
        assertThat(receiver.requests()).hasSize(1);
    }

    @Test
    void channelSecretsAreNeverReturnedAndNeverStoredInClear() throws IOException {
        NotificationChannel created = webhookChannel(Set.of(NotificationEvent.BACKUP_FAILED));
        assertThat(created.config()).isEmpty();
        assertThat(created.secretKeys()).containsExactlyInAnyOrder("url", "secret");
        assertThat(ployer.notifications().listChannels().toString()).doesNotContain(WEBHOOK_SECRET).doesNotContain("/hook");

        // A rename without the secrets keeps them: the channel still delivers, signed.
        NotificationChannel renamed = ployer.notifications().updateChannel(created.id(), new ChannelSpec("renamed", "webhook",
                null, Set.of(NotificationEvent.BACKUP_FAILED), Map.of(), true));
        assertThat(renamed.name()).isEqualTo("renamed");
        assertThat(ployer.notifications().test(created.id()).status()).isEqualTo(NotificationDelivery.Status.DELIVERED);
        assertThat(receiver.take(Duration.ofSeconds(5)).header("X-Ployer-Signature-256")).startsWith("sha256=");

        ployer.close();
        String everything = readDatabaseFiles();
        assertThat(everything).doesNotContain(WEBHOOK_SECRET).doesNotContain(receiver.url("/hook")).contains("ENC:v1:");
    }

    @Test
    void refusesBadChannelsWithTheFieldToFix() {
        assertThatThrownBy(() -> ployer.notifications().createChannel(new ChannelSpec("x", "carrier-pigeon", null,
                Set.of(NotificationEvent.BACKUP_FAILED), Map.of(), null)))
                .isInstanceOfSatisfying(PloyerException.class, error -> {
                    assertThat(error.code()).isEqualTo(StandardErrorCode.INVALID_ARGUMENT);
                    assertThat(error.field()).contains("type");
                    assertThat(error.getMessage()).contains("slack").contains("email");
                });
        assertThatThrownBy(() -> ployer.notifications().createChannel(new ChannelSpec("x", "slack", null,
                Set.of(NotificationEvent.BACKUP_FAILED), Map.of("url", "not a url"), null)))
                .isInstanceOfSatisfying(PloyerException.class, error -> {
                    assertThat(error.field()).contains("config");
                    assertThat(error.getMessage()).contains("url: must be an http:// or https:// URL").doesNotContain("not a url");
                });
        assertThatThrownBy(() -> ployer.notifications().createChannel(new ChannelSpec("x", "slack", null, Set.of(),
                Map.of("url", "https://hooks.slack.com/services/T/B/X"), null)))
                .isInstanceOfSatisfying(PloyerException.class, error -> assertThat(error.field()).contains("events"));
        assertThatThrownBy(() -> ployer.notifications().test("missing"))
                .isInstanceOfSatisfying(PloyerException.class, error -> assertThat(error.code()).isEqualTo(StandardErrorCode.NOT_FOUND));
    }

    private String readDatabaseFiles() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(data)) {
            for (Path file : files.filter(path -> path.getFileName().toString().startsWith("ployer.db")).toList()) {
                all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }

    /** A notifier type that delivers nothing and keeps the context the engine gave it. */
    private record ContextCapturingPlugin(AtomicReference<PluginContext> captured) implements PloyerPlugin {
        @Override
        public List<NotifierFactory> notifierFactories() {
            return List.of(new NotifierFactory() {
                @Override
                public String name() {
                    return "capture";
                }

                @Override
                public Notifier create(Map<String, String> config, PluginContext context) {
                    captured.set(context);
                    return notification -> {
                    };
                }
            });
        }
    }
}
