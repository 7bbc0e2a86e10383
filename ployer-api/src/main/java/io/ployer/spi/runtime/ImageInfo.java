package io.ployer.spi.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An image.
 *
 * @param id        image id
 * @param tags      references
 * @param labels    labels
 * @param createdAt creation time
 * @param sizeBytes size
 */
public record ImageInfo(String id, List<String> tags, Map<String, String> labels, Instant createdAt, long sizeBytes) {
    public ImageInfo {
        tags = List.copyOf(tags == null ? List.of() : tags);
        labels = Map.copyOf(labels == null ? Map.of() : labels);
    }
}
