package io.ployer.api.server;

/**
 * What a server has and uses.
 *
 * @param cpuModel         processor name
 * @param cpuCores         logical processors
 * @param loadAverage      one-minute load average (negative when unknown)
 * @param memoryTotalBytes physical memory
 * @param memoryUsedBytes  memory in use
 * @param diskTotalBytes   size of the file system holding Ployer's data
 * @param diskFreeBytes    free space there
 * @param uptimeSeconds    time since boot
 */
public record ServerResources(String cpuModel, int cpuCores, double loadAverage, long memoryTotalBytes, long memoryUsedBytes,
                              long diskTotalBytes, long diskFreeBytes, long uptimeSeconds) {
}
