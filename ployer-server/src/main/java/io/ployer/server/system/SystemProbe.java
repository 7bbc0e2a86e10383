package io.ployer.server.system;

import io.ployer.api.Administration.ComponentStatus;
import io.ployer.api.Ployer;
import java.util.List;

/** Says whether Ployer and what it depends on (storage, container runtime, reverse proxy) answer now. */
public final class SystemProbe {
    private final Ployer ployer;
    private final String version;

    public SystemProbe(Ployer ployer, String version) {
        this.ployer = ployer;
        this.version = version;
    }

    /**
     * @param status     {@code ok} when storage and the runtime answer, else {@code degraded}
     * @param version    server version
     * @param components each component's state
     * @param proxySync  whether the proxy's routes match Ployer's ({@code in_sync}, {@code drifted} when it answers
     *                   but its routes differ, for example empty after a restart; {@code unreachable}), with the
     *                   fingerprints compared and the reconciler's counts of drift and repairs; null when
     *                   reconciliation is off
     */
    public record Health(String status, String version, List<ComponentStatus> components,
                         io.ployer.api.Administration.ReconcileStatus proxySync) {
    }

    public Health health() {
        List<ComponentStatus> components = ployer.administration().components();
        boolean ok = components.stream().filter(component -> !component.role().equals("proxy"))
                .allMatch(ComponentStatus::reachable);
        return new Health(ok ? "ok" : "degraded", version, components,
                ployer.administration().reconcileStatus().orElse(null));
    }
}
