package io.ployer.api.container;

import java.util.Map;

/**
 * A named volume.
 *
 * @param name       name
 * @param driver     driver
 * @param mountpoint where it lives on the host
 * @param labels     labels
 */
public record VolumeInfo(String name, String driver, String mountpoint, Map<String, String> labels) {
    public VolumeInfo {
        labels = Map.copyOf(labels == null ? Map.of() : labels);
    }
}
