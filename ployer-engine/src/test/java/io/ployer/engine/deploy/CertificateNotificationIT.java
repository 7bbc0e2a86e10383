package io.ployer.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ployer.api.Ployer;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.application.CertificateCheck;
import io.ployer.api.application.DomainTls;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentRequest;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.event.PloyerEvent;
import io.ployer.api.notification.ChannelSpec;
import io.ployer.api.notification.NotificationEvent;
import io.ployer.plugin.caddy.testing.CaddyProcess;
import io.ployer.plugin.notifiers.internal.WebhookNotifier;
import io.ployer.testkit.Environment;
import io.ployer.testkit.FreePorts;
import io.ployer.testkit.notify.HttpReceiver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Caddy serving an app over HTTPS with its internal CA, whose certificates live about 12 hours:
 * with a 30-day warning threshold the engine's certificate check finds a real "expires soon" problem,
 * tells a real webhook receiver once (not at every check, nor again after a restart), and the domain's
 * TLS view shows it.
 */
class CertificateNotificationIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "a-long-shared-webhook-secret";

    @TempDir
    Path data;

    @Test
    void anExpiringCertificateIsToldOnceToAWebhookChannelAndShownOnTheDomain() throws Exception {
        Environment.requireDocker();
        int httpsPort = FreePorts.next();
        try (CaddyProcess caddy = CaddyProcess.start(data.resolve("caddy")); HttpReceiver receiver = HttpReceiver.start()) {
            Ployer ployer = engine(caddy, httpsPort);
            ployer.notifications().createChannel(new ChannelSpec("certs", "webhook", null,
                    Set.of(NotificationEvent.CERTIFICATE_PROBLEM, NotificationEvent.CERTIFICATE_RECOVERED),
                    Map.of("url", receiver.url("/certs"), "secret", SECRET), null));
            AppRepository repository = AppRepository.create(data.resolve("repo"));
            repository.commitVersion("1", "");
            String name = "certs-" + System.nanoTime() % 100000;
            String host = name + "." + PipelineFixture.BASE_DOMAIN;
            Application application = ployer.applications().create(ApplicationSpec.named(name).withGit(repository.url(), "main"));
            List<PloyerEvent> published = new CopyOnWriteArrayList<>();
            ployer.events().subscribe("app:" + application.id(), published::add);
            try {
                Deployment deployment = ployer.deployments().awaitCompletion(
                        ployer.deployments().deploy(DeploymentRequest.of(application.id())).id(), Duration.ofMinutes(3));
                assertThat(deployment.status()).isEqualTo(DeploymentStatus.RUNNING);

                HttpReceiver.Request request = receiver.take(Duration.ofSeconds(60));
                assertThat(request.path()).isEqualTo("/certs");
                assertThat(request.header("X-Ployer-Event")).isEqualTo("certificate_problem");
                assertThat(request.header(WebhookNotifier.SIGNATURE_HEADER))
                        .isEqualTo(WebhookNotifier.signature(SECRET.getBytes(StandardCharsets.UTF_8), request.body()));
                JsonNode payload = JSON.readTree(request.body());
                assertThat(payload.path("event").asText()).isEqualTo("certificate_problem");
                assertThat(payload.path("application").asText()).isEqualTo(name);
                assertThat(payload.path("title").asText()).isEqualTo("Certificate problem for " + host + " (" + name + ")");
                String text = payload.path("text").asText();
                assertThat(text).contains("\nApp: " + name + "\n", "\nHost: " + host + "\n", "\nExpires: 20",
                        "\nDashboard: https://ployer.example.com/applications/" + application.id());
                String reason = payload.path("reason").asText();
                assertThat(reason).startsWith("The certificate of " + host + " expires on ")
                        .contains("within the 30-day warning threshold");
                assertThat(text).contains("\nReason: " + reason);

                PloyerEvent.CertificateProblem problem = published.stream()
                        .filter(PloyerEvent.CertificateProblem.class::isInstance).map(PloyerEvent.CertificateProblem.class::cast)
                        .findFirst().orElseThrow();
                assertThat(problem.problem()).isEqualTo("expiring");
                assertThat(problem.hostname()).isEqualTo(host);
                // Caddy's internal CA issues for about 12 hours
                assertThat(problem.expiresAt()).isBetween(Instant.now().plus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(2)));
                assertThat(text).contains("\nExpires: " + problem.expiresAt());

                DomainTls tls = ployer.applications().domainTls(application.id()).stream()
                        .filter(state -> state.hostname().equals(host)).findFirst().orElseThrow();
                assertThat(tls.state()).isEqualTo("internal-certificate");
                CertificateCheck check = tls.certificate();
                assertThat(check).isNotNull();
                assertThat(check.status()).isEqualTo("expiring");
                assertThat(check.expiresAt()).isEqualTo(problem.expiresAt());
                assertThat(check.issuer()).containsIgnoringCase("caddy");

                // Several more checks run (one a second): the same problem is not told again.
                Thread.sleep(4_000);
                assertThat(receiver.requests()).hasSize(1);
                assertThat(published.stream().filter(PloyerEvent.CertificateProblem.class::isInstance)).hasSize(1);
                assertThat(ployer.applications().domainTls(application.id()).get(0).certificate().checkedAt())
                        .isAfter(check.checkedAt());

                // A restart (an upgrade, say) remembers what was told: the lasting problem is not told again.
                ployer.close();
                ployer = engine(caddy, httpsPort);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (ployer.applications().domainTls(application.id()).get(0).certificate() == null && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertThat(ployer.applications().domainTls(application.id()).get(0).certificate().status()).isEqualTo("expiring");
                Thread.sleep(2_000);
                assertThat(receiver.requests()).hasSize(1);
            } finally {
                ployer.close();
                PipelineFixture.removeEverythingOf(application.id());
            }
        }
    }

    private Ployer engine(CaddyProcess caddy, int httpsPort) {
        Ployer ployer = new PipelineFixture(caddy).builder(data.resolve("engine")).config("proxy.http-only", "false")
                .config("proxy.https-port", String.valueOf(httpsPort)).config("proxy.request-timeout", "30s").config("certificates.check-interval", "1s")
                .config("certificates.expiry-warning-days", "30").config("notifications.dashboard-url", "https://ployer.example.com")
                .build();
        ployer.start();
        return ployer;
    }
}
