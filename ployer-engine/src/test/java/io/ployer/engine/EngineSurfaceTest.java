package io.ployer.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.Ployer;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an embedder reaches by casting a service the API hands out to its class: the methods of
 * the API interface it implements, and a few engine-wiring methods that return nothing secret.
 * The plain environment, git token and private deploy key of an application are not among them
 * (they live in ApplicationInternals, which no API call returns).
 */
class EngineSurfaceTest {
    /** Public methods a service class has beyond its API interface: wiring, none returns a secret. */
    private static final Set<String> WIRING = Set.of("addDeletionListener", "authenticateFromMemory", "registerSecrets", "start",
            "onEvent", "registerLocal", "checkAll", "close", "removeApplication", "reconcile", "setImagePublisher", "setExtraMounts",
            "mountsFor", "stats", "refreshRoute", "isBusy", "publish", "runControl", "setStackDeployer", "setServerRuntimes",
            "onProxyTrouble", "stopApplication", "startApplication", "setPullRequestHandler", "resumePending", "pruneDeliveries", "setTls", "scaleApplication", "onDomainsChanged");

    @TempDir
    Path data;

    @Test
    void aServiceTheApiReturnsOffersItsInterfaceAndNoSecret() {
        try (Ployer ployer = EngineFixture.started(data, Map.of())) {
            List<Object> services = List.of(ployer.applications(), ployer.deployments(), ployer.health(), ployer.webhooks(),
                    ployer.servers(), ployer.events(), ployer.notifications(), ployer.files(), ployer.registries(), ployer.volumes(),
                    ployer.containers(), ployer.accounts(), ployer.administration(), ployer.projects(), ployer.audit());
            List<String> beyondTheApi = new ArrayList<>();
            for (Object service : services) {
                for (Method method : service.getClass().getMethods()) {
                    if (method.getDeclaringClass() == Object.class || Modifier.isStatic(method.getModifiers())
                            || declaredByAnApiInterface(service.getClass(), method) || WIRING.contains(method.getName())) {
                        continue;
                    }
                    beyondTheApi.add(service.getClass().getSimpleName() + "." + method.getName());
                }
            }
            assertThat(beyondTheApi).isEmpty();
            assertThat(Arrays.stream(ployer.applications().getClass().getMethods()).map(Method::getName))
                    .doesNotContain("plainEnvironment", "gitToken", "privateDeployKey", "setStatus");
        }
    }

    private static boolean declaredByAnApiInterface(Class<?> type, Method method) {
        for (Class<?> current = type; current != null; current = current.getSuperclass()) {
            for (Class<?> contract : current.getInterfaces()) {
                if (declares(contract, method)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean declares(Class<?> contract, Method method) {
        if (!contract.getName().startsWith("io.ployer.api.") && !contract.getName().startsWith("java.")) {
            return false;
        }
        try {
            contract.getMethod(method.getName(), method.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return Arrays.stream(contract.getInterfaces()).anyMatch(parent -> declares(parent, method));
        }
    }
}
