package io.ployer.engine.notify;

import io.ployer.api.application.Application;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.event.PloyerEvent;
import io.ployer.api.health.HealthStatus;
import io.ployer.api.notification.NotificationEvent;
import io.ployer.api.server.ServerStatus;
import io.ployer.spi.notify.Notification;
import io.ployer.spi.storage.Storage;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Turns engine events into the notifications people read: what happened, to which app, which
 * commit, how long it took, why it failed, and a link to the dashboard. Every text goes through
 * the secret redactor, the same one the deployment logs use.
 */
final class NotificationMessages {
    private final Storage storage;
    private final UnaryOperator<String> redact;
    private final String dashboardUrl;

    NotificationMessages(Storage storage, UnaryOperator<String> redact, String dashboardUrl) {
        this.storage = storage;
        this.redact = redact;
        this.dashboardUrl = dashboardUrl;
    }

    /** The notification an event is worth, if any. */
    Optional<Notification> of(PloyerEvent event) {
        if (event instanceof PloyerEvent.DeploymentStatusChanged changed) {
            return deployment(changed);
        } else if (event instanceof PloyerEvent.HealthChanged health) {
            if (health.to() == HealthStatus.UNHEALTHY && health.from() != HealthStatus.UNHEALTHY) {
                return Optional.of(application(NotificationEvent.HEALTH_DOWN, health.applicationId(), "is down",
                        health.reason(), health.at()));
            }
            if (health.to() == HealthStatus.HEALTHY && health.from() == HealthStatus.UNHEALTHY) {
                return Optional.of(application(NotificationEvent.HEALTH_RECOVERED, health.applicationId(), "recovered",
                        null, health.at()));
            }
        } else if (event instanceof PloyerEvent.CrashLoopDetected crash) {
            return Optional.of(application(NotificationEvent.CRASH_LOOP, crash.applicationId(), "is crash-looping",
                    "it failed its health check after " + crash.restarts() + " restarts; Ployer stopped restarting it",
                    crash.at()));
        } else if (event instanceof PloyerEvent.BackupFinished backup) {
            NotificationEvent kind = backup.succeeded() ? NotificationEvent.BACKUP_SUCCEEDED : NotificationEvent.BACKUP_FAILED;
            String title = backup.succeeded() ? "Backup succeeded" : "Backup failed";
            StringBuilder text = new StringBuilder(title).append(".\nTarget: ").append(backup.target());
            return Optional.of(build(kind, title, text, null, null, null, backup.reason(), dashboardUrl, backup.at()));
        } else if (event instanceof PloyerEvent.PreviewChanged preview) {
            return preview(preview);
        } else if (event instanceof PloyerEvent.CertificateProblem problem) {
            return Optional.of(certificate(NotificationEvent.CERTIFICATE_PROBLEM, problem.applicationId(), problem.hostname(),
                    "Certificate problem for ", problem.detail(), problem.expiresAt(), problem.at()));
        } else if (event instanceof PloyerEvent.CertificateRecovered recovered) {
            return Optional.of(certificate(NotificationEvent.CERTIFICATE_RECOVERED, recovered.applicationId(), recovered.hostname(),
                    "Certificate fine again for ", null, recovered.expiresAt(), recovered.at()));
        } else if (event instanceof PloyerEvent.ServerStatusChanged server) {
            if (server.to() == ServerStatus.OFFLINE && server.from() != ServerStatus.OFFLINE) {
                return Optional.of(server(NotificationEvent.SERVER_UNREACHABLE, server, "is unreachable"));
            }
            if (server.to() == ServerStatus.ONLINE && server.from() == ServerStatus.OFFLINE) {
                return Optional.of(server(NotificationEvent.SERVER_BACK, server, "is reachable again"));
            }
        }
        return Optional.empty();
    }

    /** The message a channel's test sends. */
    Notification test(String channelName, Instant at) {
        String title = "Test message from Ployer";
        StringBuilder text = new StringBuilder("This is a test of the notification channel '").append(channelName)
                .append("'. If you can read it, the channel works.");
        return build(NotificationEvent.TEST, title, text, null, null, null, null, dashboardUrl, at);
    }

    private Optional<Notification> deployment(PloyerEvent.DeploymentStatusChanged changed) {
        NotificationEvent kind;
        String verb;
        if (changed.to() == DeploymentStatus.RUNNING && changed.from() != DeploymentStatus.RUNNING) {
            kind = NotificationEvent.DEPLOYMENT_SUCCEEDED;
            verb = "succeeded";
        } else if (changed.to() == DeploymentStatus.FAILED) {
            kind = NotificationEvent.DEPLOYMENT_FAILED;
            verb = "failed";
        } else if (changed.to() == DeploymentStatus.CANCELLED) {
            kind = NotificationEvent.DEPLOYMENT_CANCELLED;
            verb = "was cancelled";
        } else {
            return Optional.empty();
        }
        Optional<Deployment> deployment = storage.deployments().findById(changed.deploymentId());
        String applicationId = changed.applicationId() != null ? changed.applicationId()
                : deployment.map(Deployment::applicationId).orElse(null);
        String appName = applicationName(applicationId);
        String commit = deployment.map(Deployment::commitSha).orElse(null);
        Duration took = deployment.map(found -> {
            Instant start = found.startedAt() != null ? found.startedAt() : found.createdAt();
            return Duration.between(start, changed.at());
        }).filter(duration -> !duration.isNegative()).orElse(null);
        String reason = kind == NotificationEvent.DEPLOYMENT_SUCCEEDED ? null
                : changed.reason() != null ? changed.reason() : deployment.map(Deployment::failureReason).orElse(null);
        String title = "Deployment of " + appName + " " + verb;
        StringBuilder text = new StringBuilder(title).append('.');
        text.append("\nApp: ").append(appName);
        if (commit != null) {
            text.append("\nCommit: ").append(shortCommit(commit));
            deployment.map(Deployment::commitMessage).filter(message -> !message.isBlank())
                    .ifPresent(message -> text.append(" ").append(message.strip().lines().findFirst().orElse("")));
        }
        deployment.map(Deployment::branch).ifPresent(branch -> text.append("\nBranch: ").append(branch));
        if (took != null) {
            text.append("\nTook: ").append(format(took));
        }
        String link = dashboardUrl == null || applicationId == null ? null
                : dashboardUrl + "/applications/" + applicationId + "/deployments/" + changed.deploymentId();
        return Optional.of(build(kind, title, text, appName, commit == null ? null : shortCommit(commit), took, reason,
                link, changed.at()));
    }

    private Optional<Notification> preview(PloyerEvent.PreviewChanged preview) {
        NotificationEvent kind;
        String what;
        switch (preview.state()) {
            case "ready" -> {
                kind = NotificationEvent.PREVIEW_READY;
                what = "is ready";
            }
            case "failed" -> {
                kind = NotificationEvent.PREVIEW_FAILED;
                what = "failed to deploy";
            }
            case "removed" -> {
                kind = NotificationEvent.PREVIEW_REMOVED;
                what = "was removed";
            }
            default -> {
                return Optional.empty();
            }
        }
        String appName = applicationName(preview.applicationId());
        String title = "Preview of pull request #" + preview.number() + " of " + appName + " " + what;
        StringBuilder text = new StringBuilder(title).append(".\nApp: ").append(appName);
        if (preview.url() != null && kind != NotificationEvent.PREVIEW_REMOVED) {
            text.append("\nPreview: ").append(preview.url());
        }
        String link = dashboardUrl == null ? null : dashboardUrl + "/applications/" + preview.applicationId();
        return Optional.of(build(kind, title, text, appName, null, null, preview.reason(), link, preview.at()));
    }

    /** Which app, which host, what is wrong (the reason) and when the served certificate expires. */
    private Notification certificate(NotificationEvent kind, String applicationId, String hostname, String what, String problem,
                                     Instant expiresAt, Instant at) {
        String appName = applicationName(applicationId);
        String title = what + hostname + " (" + appName + ")";
        StringBuilder text = new StringBuilder(title).append(".\nApp: ").append(appName).append("\nHost: ").append(hostname);
        text.append("\nExpires: ").append(expiresAt == null ? "no certificate is served" : expiresAt.toString());
        String link = dashboardUrl == null ? null : dashboardUrl + "/applications/" + applicationId;
        return build(kind, title, text, appName, null, null, problem, link, at);
    }

    private Notification application(NotificationEvent kind, String applicationId, String what, String reason, Instant at) {
        String appName = applicationName(applicationId);
        String title = "Application " + appName + " " + what;
        StringBuilder text = new StringBuilder(title).append(".\nApp: ").append(appName);
        String link = dashboardUrl == null ? null : dashboardUrl + "/applications/" + applicationId;
        return build(kind, title, text, appName, null, null, reason, link, at);
    }

    private Notification server(NotificationEvent kind, PloyerEvent.ServerStatusChanged server, String what) {
        String name = storage.servers().findById(server.serverId()).map(found -> found.name()).orElse(server.serverId());
        String title = "Server " + name + " " + what;
        StringBuilder text = new StringBuilder(title).append('.');
        String link = dashboardUrl == null ? null : dashboardUrl + "/servers/" + server.serverId();
        return build(kind, title, text, null, null, null, kind == NotificationEvent.SERVER_BACK ? null : server.reason(), link,
                server.at());
    }

    private Notification build(NotificationEvent kind, String title, StringBuilder text, String appName, String commit,
                               Duration took, String reason, String link, Instant at) {
        if (reason != null && !reason.isBlank()) {
            text.append("\nReason: ").append(reason.strip());
        }
        if (link != null) {
            text.append("\nDashboard: ").append(link);
        }
        return new Notification(UUID.randomUUID().toString(), kind, redact.apply(title), redact.apply(text.toString()),
                appName == null ? null : redact.apply(appName), commit, took,
                reason == null || reason.isBlank() ? null : redact.apply(reason.strip()), link, at);
    }

    private String applicationName(String applicationId) {
        if (applicationId == null) {
            return "(unknown application)";
        }
        return storage.applications().findById(applicationId).map(Application::name).orElse(applicationId);
    }

    private static String shortCommit(String commit) {
        return commit.length() > 12 ? commit.substring(0, 12) : commit;
    }

    /** A duration as people say it: {@code 45s}, {@code 2m 5s}, {@code 1h 3m}. */
    static String format(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m " + seconds % 60 + "s";
        }
        return seconds / 3600 + "h " + seconds % 3600 / 60 + "m";
    }
}
