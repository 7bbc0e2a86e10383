package io.ployer.engine.deploy;

import io.ployer.api.Ployer;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentRequest;
import io.ployer.api.event.PloyerEvent;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs in a child JVM for the crash test: starts an engine on the given data directory, deploys the
 * application and reports on standard output when its build has started, then waits to be killed.
 */
public final class CrashHarness {
    private CrashHarness() {
    }

    public static void main(String[] arguments) throws InterruptedException {
        Path data = Path.of(arguments[0]);
        String applicationId = arguments[1];
        Map<String, String> config = new LinkedHashMap<>();
        for (int i = 2; i < arguments.length; i++) {
            String[] entry = arguments[i].split("=", 2);
            config.put(entry[0], entry[1]);
        }
        Ployer ployer = Ployer.builder().dataDirectory(data).config(config).build();
        ployer.start();
        ployer.events().subscribe(event -> {
            if (event instanceof PloyerEvent.DeploymentLogged logged && logged.line().line().contains("slow build starts")) {
                System.out.println("BUILD-STARTED " + logged.line().deploymentId());
                System.out.flush();
            }
        });
        Deployment deployment = ployer.deployments().deploy(DeploymentRequest.of(applicationId));
        System.out.println("DEPLOYING " + deployment.id());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
