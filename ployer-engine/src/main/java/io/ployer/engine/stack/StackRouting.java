package io.ployer.engine.stack;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.application.Application;
import io.ployer.api.application.Domain;
import io.ployer.engine.compose.ComposeFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which services of a stack the proxy routes to, and on which port. Every service a domain names is
 * routed; domains without a service go to the primary routed service: the first routed service in the
 * Compose file's order (the file's first service when no domain names one). A service is routed on one
 * port: the one its domains give, else its first {@code expose}, else the application's port.
 */
final class StackRouting {
    /** A routed service and its port. */
    record Routed(String service, int port) {
    }

    private StackRouting() {
    }

    /** The routed services, the primary first, then the others in the file's order. */
    static List<Routed> of(Application application, List<Domain> domains, ComposeFile file) {
        Set<String> named = new LinkedHashSet<>();
        for (Domain domain : domains) {
            if (domain.service() != null) {
                if (!file.services().containsKey(domain.service())) {
                    throw new PloyerException(StandardErrorCode.BUILD_FAILURE, "the domain " + domain.hostname()
                            + " routes to the service " + domain.service() + ", which the Compose file does not declare (it has "
                            + file.services().keySet() + ")");
                }
                named.add(domain.service());
            }
        }
        List<String> services = new ArrayList<>();
        for (String service : file.services().keySet()) {
            if (named.contains(service)) {
                services.add(service);
            }
        }
        if (services.isEmpty()) {
            services.add(file.services().keySet().iterator().next());
        }
        String primary = services.get(0);
        Map<String, Set<Integer>> ports = new LinkedHashMap<>();
        for (Domain domain : domains) {
            if (domain.port() != null) {
                ports.computeIfAbsent(domain.service() == null ? primary : domain.service(), key -> new LinkedHashSet<>())
                        .add(domain.port());
            }
        }
        List<Routed> routed = new ArrayList<>();
        for (String service : services) {
            Set<Integer> given = ports.getOrDefault(service, Set.of());
            if (given.size() > 1) {
                throw new PloyerException(StandardErrorCode.BUILD_FAILURE, "the domains route to the ports " + given
                        + " of the service " + service + "; a service is routed on one port, so give its domains the same port");
            }
            ComposeFile.Service declared = file.services().get(service);
            int port = !given.isEmpty() ? given.iterator().next()
                    : !declared.expose().isEmpty() ? declared.expose().get(0) : application.port();
            routed.add(new Routed(service, port));
        }
        return routed;
    }
}
