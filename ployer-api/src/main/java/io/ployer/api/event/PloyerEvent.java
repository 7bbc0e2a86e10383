package io.ployer.api.event;

import io.ployer.api.deployment.DeploymentLogLine;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.health.ContainerStats;
import io.ployer.api.health.HealthCheckResult;
import io.ployer.api.health.HealthStatus;
import io.ployer.api.server.ServerStatus;
import io.ployer.api.webhook.WebhookDeliveryStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * Everything Ployer tells its subscribers, as one closed hierarchy. Events never carry secret
 * values (log lines are redacted before they become events).
 */
public sealed interface PloyerEvent {

    /** When it happened. */
    Instant at();

    /** The topic it belongs to, e.g. {@code deployment:<id>}, {@code app:<id>}, {@code server:<id>}. */
    String topic();

    /** A deployment moved to another state. */
    record DeploymentStatusChanged(String deploymentId, String applicationId, DeploymentStatus from,
                                   DeploymentStatus to, String reason, Instant at) implements PloyerEvent {
        public DeploymentStatusChanged {
            Objects.requireNonNull(deploymentId, "deploymentId");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(at, "at");
        }

        @Override
        public String topic() {
            return "deployment:" + deploymentId;
        }
    }

    /** A deployment wrote a log line. */
    record DeploymentLogged(String applicationId, DeploymentLogLine line) implements PloyerEvent {
        public DeploymentLogged {
            Objects.requireNonNull(line, "line");
        }

        @Override
        public Instant at() {
            return line.at();
        }

        @Override
        public String topic() {
            return "deployment:" + line.deploymentId();
        }
    }

    /** An application's health changed. */
    record HealthChanged(String applicationId, HealthStatus from, HealthStatus to, String reason, Instant at)
            implements PloyerEvent {
        public HealthChanged {
            Objects.requireNonNull(applicationId, "applicationId");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(at, "at");
        }

        @Override
        public String topic() {
            return "app:" + applicationId;
        }
    }

    /** A health check of an application ran. */
    record HealthChecked(HealthCheckResult result) implements PloyerEvent {
        public HealthChecked {
            Objects.requireNonNull(result, "result");
        }

        @Override
        public Instant at() {
            return result.checkedAt();
        }

        @Override
        public String topic() {
            return "app:" + result.applicationId();
        }
    }

    /** A container statistics sample was taken. */
    record StatsSampled(ContainerStats stats) implements PloyerEvent {
        public StatsSampled {
            Objects.requireNonNull(stats, "stats");
        }

        @Override
        public Instant at() {
            return stats.sampledAt();
        }

        @Override
        public String topic() {
            return "app:" + stats.applicationId();
        }
    }

    /** A webhook delivery was recorded. */
    record WebhookReceived(String applicationId, String deliveryId, WebhookDeliveryStatus status, String reason,
                           Instant at) implements PloyerEvent {
        public WebhookReceived {
            Objects.requireNonNull(applicationId, "applicationId");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(at, "at");
        }

        @Override
        public String topic() {
            return "app:" + applicationId;
        }
    }

    /** A server's reachability changed. */
    record ServerStatusChanged(String serverId, ServerStatus from, ServerStatus to, String reason, Instant at)
            implements PloyerEvent {
        public ServerStatusChanged {
            Objects.requireNonNull(serverId, "serverId");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(at, "at");
        }

        @Override
        public String topic() {
            return "server:" + serverId;
        }
    }

    /** An application kept failing its health check after restarts and is left alone (crash-looping). */
    record CrashLoopDetected(String applicationId, int restarts, Instant at) implements PloyerEvent {
        public CrashLoopDetected {
            Objects.requireNonNull(applicationId, "applicationId");
            Objects.requireNonNull(at, "at");
        }

        @Override
        public String topic() {
            return "app:" + applicationId;
        }
    }

    /** A backup of Ployer's database finished, or failed ({@code reason} then says why). */
    record BackupFinished(String target, boolean succeeded, String reason, Instant at) implements PloyerEvent {
        public BackupFinished {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(at, "at");
        }

        @Override
        public String topic() {
            return "backup";
        }
    }

    /** A line of a container's output, for live container log streams. */
    record ContainerLogged(String containerId, String line, Instant at) implements PloyerEvent {
        public ContainerLogged {
            Objects.requireNonNull(containerId, "containerId");
            Objects.requireNonNull(line, "line");
            Objects.requireNonNull(at, "at");
        }

        @Override
        public String topic() {
            return "container:" + containerId;
        }
    }

    /** A backup of a database was recorded with its outcome (a FAILED one carries the reason). */
    record BackupRecorded(String databaseId, String backupId, io.ployer.api.database.Backup.Status status, String reason,
                          Instant at) implements PloyerEvent {
        public BackupRecorded {
            Objects.requireNonNull(databaseId, "databaseId");
            Objects.requireNonNull(backupId, "backupId");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(at, "at");
        }

        @Override
        public String topic() {
            return "database:" + databaseId;
        }
    }

    /**
     * A preview deployment of a pull request changed: {@code deploying}, {@code ready}, {@code failed}
     * or {@code removed} ({@code reason} says why it failed or went).
     */
    record PreviewChanged(String applicationId, int number, String url, String state, String reason, Instant at)
            implements PloyerEvent {
        public PreviewChanged {
            Objects.requireNonNull(applicationId, "applicationId");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(at, "at");
        }

        @Override
        public String topic() {
            return "app:" + applicationId;
        }
    }

    /**
     * The certificate the proxy serves for one of an application's domains has a problem (the engine's
     * periodic certificate check found it; the same problem is told once, not at every check).
     *
     * @param problem   {@code unreachable} (the TLS handshake fails: no certificate is served),
     *                  {@code hostname-mismatch}, {@code expired} or {@code expiring}
     * @param detail    a sentence for a person
     * @param expiresAt when the served certificate expires ({@code null} when none was served)
     */
    record CertificateProblem(String applicationId, String hostname, String problem, String detail, Instant expiresAt,
                              Instant at) implements PloyerEvent {
        public CertificateProblem {
            Objects.requireNonNull(applicationId, "applicationId");
            Objects.requireNonNull(hostname, "hostname");
            Objects.requireNonNull(problem, "problem");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(at, "at");
        }

        @Override
        public String topic() {
            return "app:" + applicationId;
        }
    }

    /** A domain whose certificate had a problem is served with a good certificate again. */
    record CertificateRecovered(String applicationId, String hostname, String previousProblem, Instant expiresAt, Instant at)
            implements PloyerEvent {
        public CertificateRecovered {
            Objects.requireNonNull(applicationId, "applicationId");
            Objects.requireNonNull(hostname, "hostname");
            Objects.requireNonNull(at, "at");
        }

        @Override
        public String topic() {
            return "app:" + applicationId;
        }
    }
}
