package io.ployer.engine.deploy;

import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationStatus;
import io.ployer.api.application.ResourceLimits;
import io.ployer.api.application.RestartPolicy;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.deployment.DeploymentTrigger;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Minimal valid records for tests that talk to storage directly. */
final class TestingRecords {
    private TestingRecords() {
    }

    static Application application() {
        Instant now = Instant.now();
        return new Application(UUID.randomUUID().toString(), "records-" + UUID.randomUUID().toString().replace("-", ""), null,
                "https://git.example.com/a.git", "main", "dockerfile", Map.of(), 8080, true, ResourceLimits.NONE,
                RestartPolicy.NO, ApplicationStatus.CREATED, now, now);
    }

    static Deployment deployment(String applicationId) {
        Instant now = Instant.now();
        return new Deployment(UUID.randomUUID().toString(), applicationId, DeploymentStatus.BUILDING, DeploymentTrigger.MANUAL,
                "main", null, null, null, null, null, null, null, now, now, null, now);
    }
}
