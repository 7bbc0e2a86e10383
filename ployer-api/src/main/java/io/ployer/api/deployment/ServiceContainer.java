package io.ployer.api.deployment;

/**
 * One container of an application's serving deployment: the container of a single app, or one per
 * service of a Compose stack.
 *
 * @param service      the Compose service, or {@code null} for a single app's container
 * @param deploymentId the deployment it belongs to
 * @param containerId  the container
 * @param image        its image
 * @param state        the runtime's state ({@code running}, {@code exited} …)
 * @param running      whether it runs
 * @param routed       whether the application's domains route to it
 * @param endpoint     where it answers on the host ({@code host:port}), or {@code null} when it publishes nothing
 * @param restarts     how often the runtime restarted it after it exited (its restart policy at work)
 * @param oomKilled    whether its last exit was a kill at its memory limit
 */
public record ServiceContainer(String service, String deploymentId, String containerId, String image, String state,
                               boolean running, boolean routed, String endpoint, int restarts, boolean oomKilled) {
}
