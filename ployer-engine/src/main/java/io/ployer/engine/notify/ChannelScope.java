package io.ployer.engine.notify;

import io.ployer.api.PloyerException;
import io.ployer.api.application.Application;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.event.PloyerEvent;
import io.ployer.api.notification.NotificationChannel;
import io.ployer.spi.storage.Storage;
import java.util.Optional;

/**
 * Which channels an event reaches: an instance-wide channel ({@code project_id} null) hears every
 * event it wants; a project's channel only those about the project's applications (servers and
 * backups are instance-wide matters, so never a project's).
 */
final class ChannelScope {
    /** The events taken from the bus; backups are handed in directly by the engine's administration. */
    static boolean worthNotifying(PloyerEvent event) {
        return event instanceof PloyerEvent.DeploymentStatusChanged || event instanceof PloyerEvent.HealthChanged
                || event instanceof PloyerEvent.CrashLoopDetected || event instanceof PloyerEvent.ServerStatusChanged
                || event instanceof PloyerEvent.PreviewChanged || event instanceof PloyerEvent.CertificateProblem
                || event instanceof PloyerEvent.CertificateRecovered;
    }

    private final Storage storage;

    ChannelScope(Storage storage) {
        this.storage = storage;
    }

    /** The project of the application an event is about, if it is about one. */
    Optional<String> projectOf(PloyerEvent event) {
        String applicationId = null;
        if (event instanceof PloyerEvent.DeploymentStatusChanged changed) {
            applicationId = changed.applicationId() != null ? changed.applicationId()
                    : storage.deployments().findById(changed.deploymentId()).map(Deployment::applicationId).orElse(null);
        } else if (event instanceof PloyerEvent.HealthChanged health) {
            applicationId = health.applicationId();
        } else if (event instanceof PloyerEvent.CrashLoopDetected crash) {
            applicationId = crash.applicationId();
        } else if (event instanceof PloyerEvent.PreviewChanged preview) {
            applicationId = preview.applicationId();
        } else if (event instanceof PloyerEvent.CertificateProblem problem) {
            applicationId = problem.applicationId();
        } else if (event instanceof PloyerEvent.CertificateRecovered recovered) {
            applicationId = recovered.applicationId();
        }
        return applicationId == null ? Optional.empty()
                : storage.applications().findById(applicationId).map(Application::projectId);
    }

    /** Whether {@code channel} may hear about an event of {@code project} (empty: not about an application). */
    static boolean reaches(NotificationChannel channel, Optional<String> project) {
        return channel.projectId() == null || project.map(channel.projectId()::equals).orElse(false);
    }

    /** A channel's project must exist; instance-wide channels name none. */
    void checkProject(String projectId) {
        if (projectId == null) {
            return;
        }
        boolean exists;
        try {
            exists = storage.projects().find(projectId).isPresent();
        } catch (UnsupportedOperationException noProjects) {
            exists = io.ployer.api.access.Project.DEFAULT_ID.equals(projectId);
        }
        if (!exists) {
            throw PloyerException.invalid("project_id", "names no project (leave it out for an instance-wide channel)");
        }
    }
}
