package io.ployer.api.database;

/**
 * A backup destination to create; see {@link BackupDestination}. {@code secretKey} is stored encrypted.
 */
public record BackupDestinationSpec(String name, BackupDestination.Kind kind, String path, String endpoint, String bucket,
                                    String region, Boolean pathStyle, String accessKey, String secretKey) {
    @Override
    public String toString() {
        return "BackupDestinationSpec[name=" + name + ", kind=" + kind + ", path=" + path + ", endpoint=" + endpoint
                + ", bucket=" + bucket + ", region=" + region + "]";
    }
}
