package io.ployer.api.container;

import io.ployer.api.application.RestartPolicy;
import java.util.Map;

/**
 * A container to create by hand (outside any application), as the containers API offers.
 *
 * @param name          container name, {@code [a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}}
 * @param image         an image present on the host (never pulled)
 * @param environment   environment variables (keys {@code [A-Za-z_][A-Za-z0-9_]*})
 * @param port          container port to publish on 127.0.0.1, or {@code null} for none
 * @param memoryBytes   memory limit, or {@code null}
 * @param cpus          CPU limit, or {@code null}
 * @param restartPolicy restart policy, default NO
 */
public record ContainerRequest(String name, String image, Map<String, String> environment, Integer port, Long memoryBytes,
                               Double cpus, RestartPolicy restartPolicy) {
    public ContainerRequest {
        environment = environment == null ? Map.of() : Map.copyOf(environment);
    }

    @Override
    public String toString() {
        return "ContainerRequest[name=" + name + ", image=" + image + ", environment=" + environment.keySet() + ", port=" + port + "]";
    }
}
