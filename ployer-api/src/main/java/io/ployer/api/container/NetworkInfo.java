package io.ployer.api.container;

import java.util.Map;

/**
 * A container network.
 *
 * @param id     network id
 * @param name   name
 * @param driver driver
 * @param labels labels
 */
public record NetworkInfo(String id, String name, String driver, Map<String, String> labels) {
    public NetworkInfo {
        labels = Map.copyOf(labels == null ? Map.of() : labels);
    }
}
