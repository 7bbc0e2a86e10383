package io.ployer.engine.deploy;

import io.ployer.api.application.Application;
import io.ployer.api.deployment.Deployment;
import io.ployer.spi.runtime.ContainerRuntime;
import java.util.HashMap;
import java.util.Map;

/** How the pipeline names and labels what it creates, so later passes (reconcile, delete) find it again. */
final class ContainerNaming {
    private ContainerNaming() {
    }

    static String imageTag(Application application, Deployment deployment) {
        return "ployer/" + application.name() + ":" + deployment.id().replace("-", "").substring(0, 12);
    }

    static String containerName(Application application, Deployment deployment) {
        return "ployer-" + application.name() + "-" + deployment.id().replace("-", "").substring(0, 12);
    }

    /** The labels of a deployment's container: managed, this installation, the application, the deployment. */
    static Map<String, String> containerLabels(String instanceId, Application application, Deployment deployment) {
        Map<String, String> labels = imageLabels(instanceId, application);
        labels.put(ContainerRuntime.LABEL_DEPLOYMENT, deployment.id());
        return labels;
    }

    /**
     * The labels of a built image: the application's but not the deployment's (a per-deployment label
     * would be a new LABEL layer each time and defeat the build cache; the tag names the deployment).
     */
    static Map<String, String> imageLabels(String instanceId, Application application) {
        Map<String, String> labels = new HashMap<>();
        labels.put(ContainerRuntime.LABEL_MANAGED, "true");
        labels.put(ContainerRuntime.LABEL_INSTANCE, instanceId);
        labels.put(ContainerRuntime.LABEL_APP, application.id());
        return labels;
    }

    static String shortId(String containerId) {
        return containerId.length() > 12 ? containerId.substring(0, 12) : containerId;
    }
}
