package io.ployer.engine.deploy;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.event.PloyerEvent;
import io.ployer.engine.application.ApplicationInternals;
import io.ployer.spi.build.BuildStrategy;
import io.ployer.spi.proxy.ReverseProxy;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.storage.Storage;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * What the parts of the pipeline share: storage, the plugins, the settings, time and the event sink.
 *
 * @param instanceId this installation's id, on every container's labels
 * @param timers     where step timeouts, drains and the health gate's pauses are scheduled
 */
record PipelineContext(Storage storage, ApplicationInternals applications, Optional<ContainerRuntime> runtime,
                       Optional<ReverseProxy> proxy, Map<String, BuildStrategy> strategies, SourceCheckout source,
                       DeploySettings settings, Clock clock, Consumer<PloyerEvent> events, UnaryOperator<String> redactor,
                       String instanceId, DeploymentTimers timers) {

    PipelineContext {
        strategies = Map.copyOf(strategies);
    }

    ContainerRuntime requireRuntime() {
        return runtime.orElseThrow(() -> new PloyerException(StandardErrorCode.CONFIGURATION,
                "no container runtime is configured (add ployer-plugin-docker and set runtime=docker)"));
    }

    /** Stores one changed deployment in its own transaction. */
    void save(Deployment deployment) {
        storage.inTransaction(tx -> {
            tx.deployments().update(deployment);
            return null;
        });
    }

    void publishStatus(Deployment deployment, DeploymentStatus from, String reason) {
        events.accept(new PloyerEvent.DeploymentStatusChanged(deployment.id(), deployment.applicationId(), from,
                deployment.status(), reason, clock.instant()));
    }
}
