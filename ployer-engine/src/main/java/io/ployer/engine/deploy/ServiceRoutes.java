package io.ployer.engine.deploy;

import io.ployer.api.application.Domain;
import io.ployer.api.container.ContainerInfo;
import io.ployer.api.container.Endpoint;
import io.ployer.api.deployment.Deployment;
import io.ployer.spi.proxy.Route;
import io.ployer.spi.proxy.TlsMode;
import io.ployer.spi.runtime.ContainerRuntime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The routes of what a deployment serves. A single application has one route, named by its id. A stack
 * (Compose) routes each domain to the service it names: the deployment's own container (its primary routed
 * service, where domains without a service go) under the application's id, every further routed service
 * under {@code <applicationId>~<service>}. A domain naming a service the running deployment does not route
 * (added after it) gets no route until the next deployment.
 */
final class ServiceRoutes {
    /** Between the application id and the service in the id of a further routed service's route. */
    static final String SEPARATOR = "~";

    private ServiceRoutes() {
    }

    /**
     * Where a deployment serves.
     *
     * @param primaryService the service of the deployment's container ({@code null}: a single app, or not known)
     * @param primary        where the deployment's container answers
     * @param others         the further routed services of a stack, by service
     */
    record Serving(String primaryService, Endpoint primary, Map<String, Endpoint> others) {
        Serving {
            others = Map.copyOf(others);
        }

        static Serving single(Endpoint endpoint) {
            return new Serving(null, endpoint, Map.of());
        }

        /**
         * Where a deployment serves by what storage knows alone (its runtime does not answer): the domains that
         * name no service (all of a single app's); those naming one wait for the runtime, never mis-routed.
         */
        static Serving stored(Endpoint endpoint) {
            return new Serving("", endpoint, Map.of());
        }
    }

    /** The application a route belongs to. */
    static String applicationOf(String routeId) {
        int separator = routeId.indexOf(SEPARATOR);
        return separator < 0 ? routeId : routeId.substring(0, separator);
    }

    /** Whether the route is a further routed service's route of the application. */
    static boolean isServiceRouteOf(String routeId, String applicationId) {
        return routeId.startsWith(applicationId + SEPARATOR);
    }

    /** The routes of an application's domains to where it serves (primary first); empty without domains. */
    static List<Route> routes(String applicationId, List<Domain> domains, Serving serving) {
        Map<String, List<String>> hosts = new LinkedHashMap<>();
        Map<String, Endpoint> upstreams = new LinkedHashMap<>();
        upstreams.put(applicationId, serving.primary());
        for (Domain domain : domains) {
            String service = domain.service();
            String routeId;
            if (service != null && serving.others().containsKey(service)) {
                routeId = applicationId + SEPARATOR + service;
                upstreams.put(routeId, serving.others().get(service));
            } else if (service == null || serving.primaryService() == null || service.equals(serving.primaryService())) {
                routeId = applicationId;
            } else {
                continue; // a service the running deployment does not route
            }
            hosts.computeIfAbsent(routeId, id -> new ArrayList<>()).add(domain.hostname());
        }
        List<Route> routes = new ArrayList<>();
        if (hosts.containsKey(applicationId)) {
            routes.add(new Route(applicationId, hosts.remove(applicationId), List.of(serving.primary()), TlsMode.AUTO));
        }
        hosts.forEach((routeId, names) -> routes.add(new Route(routeId, names, List.of(upstreams.get(routeId)), TlsMode.AUTO)));
        return routes;
    }

    /**
     * Where a running deployment serves now: for a stack whose domains name services, its routed containers'
     * published endpoints as the runtime reports them (throws when the runtime does not answer).
     */
    static Serving serving(ContainerRuntime runtime, Deployment deployment, Endpoint primary, List<Domain> domains) {
        if (runtime == null || deployment.containerId() == null || domains.stream().allMatch(domain -> domain.service() == null)) {
            return Serving.single(primary);
        }
        String primaryService = null;
        Map<String, Endpoint> others = new LinkedHashMap<>();
        for (ContainerInfo container : runtime.listContainers(Map.of(ContainerRuntime.LABEL_APP, deployment.applicationId(),
                ContainerRuntime.LABEL_DEPLOYMENT, deployment.id()), true)) {
            String service = container.labels().get(StackDeployer.LABEL_SERVICE);
            if (container.id().equals(deployment.containerId())) {
                primaryService = service;
            } else if (service != null && "true".equals(container.labels().get(StackDeployer.LABEL_ROUTED))) {
                container.publishedEndpoint().ifPresent(endpoint -> others.put(service, endpoint));
            }
        }
        return new Serving(primaryService, primary, others);
    }
}
