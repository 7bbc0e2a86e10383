package io.ployer.engine.stack;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.engine.compose.ComposeFile.Healthcheck;
import io.ployer.engine.compose.ComposeFile.Service;
import io.ployer.engine.deploy.StackDeployer;
import io.ployer.api.container.ContainerInfo;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.runtime.ExecResult;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;

/**
 * When a started service counts as ready: still running, healthy by its Compose {@code healthcheck}
 * (run inside the container through the runtime, as Docker would), or exited 0 for
 * {@code service_completed_successfully}. Bounded by the health timeout; cancelled with the run.
 */
final class ServiceReadiness {
    /** How often a healthcheck without an {@code interval} is tried (Compose's 30 s would hold a deploy up). */
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    private static final Duration SETTLE = Duration.ofMillis(500);

    private final StackDeployer.Run run;

    ServiceReadiness(StackDeployer.Run run) {
        this.run = run;
    }

    /** Whether the service declares a healthcheck that runs. */
    static boolean hasHealthcheck(Service service) {
        Healthcheck check = service.healthcheck();
        return check != null && !check.disabled() && check.test() != null && !check.test().isEmpty()
                && !check.test().get(0).equals("NONE");
    }

    /** Fails when the container is not running a moment after its start (it crashed at once). */
    void requireRunning(Service service, String containerId) throws InterruptedException {
        if (run.pause(SETTLE)) {
            throw run.cancelled();
        }
        ContainerInfo info = inspect(service, containerId);
        if (info.crashed()) {
            throw exited(service, containerId, info, "right after it started");
        }
    }

    /** Waits until the service's healthcheck passes; fails after its retries (counted after its start period). */
    void awaitHealthy(Service service, String containerId) throws Exception {
        Healthcheck check = service.healthcheck();
        Duration interval = check.interval() == null ? DEFAULT_INTERVAL : check.interval();
        int retries = check.retries() == null ? 3 : check.retries();
        long startPeriodEnds = System.nanoTime() + (check.startPeriod() == null ? 0 : check.startPeriod().toNanos());
        List<String> command = command(check.test());
        run.system("Waiting for " + service.name() + " to be healthy (its healthcheck, every " + interval.toMillis() + " ms)");
        run.withTimeout(run.settings().healthTimeout(), "health check of " + service.name(), () -> {
            int failures = 0;
            String last = "";
            while (true) {
                ContainerInfo info = inspect(service, containerId);
                if (!info.running()) {
                    throw exited(service, containerId, info, "while its healthcheck was waited for");
                }
                ExecResult result = run.runtime().exec(containerId, command, java.util.Map.of(), OutputStream.nullOutputStream(),
                        run.cancellation());
                if (result.succeeded()) {
                    run.system(service.name() + " is healthy");
                    return null;
                }
                last = result.errorTail().strip();
                if (System.nanoTime() >= startPeriodEnds && ++failures >= retries) {
                    throw new PloyerException(StandardErrorCode.RUNTIME_FAILURE, "the service " + service.name()
                            + " did not become healthy: its healthcheck failed " + failures + " times in a row (exit code "
                            + result.exitCode() + (last.isEmpty() ? "" : ", " + last.lines().reduce((a, b) -> b).orElse("")) + ")");
                }
                if (run.pause(interval)) {
                    throw run.cancelled();
                }
            }
        });
    }

    /** Waits until a one-off service exited 0 ({@code service_completed_successfully}). */
    void awaitCompleted(Service service, String containerId) throws Exception {
        run.withTimeout(run.settings().healthTimeout(), "completion of " + service.name(), () -> {
            while (true) {
                ContainerInfo info = inspect(service, containerId);
                if (!info.running() && info.exitCode() != null) {
                    if (info.exitCode() == 0) {
                        run.system(service.name() + " completed successfully");
                        return null;
                    }
                    throw exited(service, containerId, info, "before its dependants could start");
                }
                if (run.pause(DEFAULT_INTERVAL)) {
                    throw run.cancelled();
                }
            }
        });
    }

    private static List<String> command(List<String> test) {
        return switch (test.get(0)) {
            case "CMD" -> test.subList(1, test.size());
            case "CMD-SHELL" -> List.of("/bin/sh", "-c", String.join(" ", test.subList(1, test.size())));
            default -> List.of("/bin/sh", "-c", String.join(" ", test));
        };
    }

    private ContainerInfo inspect(Service service, String containerId) {
        return run.runtime().inspectContainer(containerId).orElseThrow(() -> new PloyerException(StandardErrorCode.RUNTIME_FAILURE,
                "the container of the service " + service.name() + " vanished"));
    }

    private PloyerException exited(Service service, String containerId, ContainerInfo info, String when) {
        ContainerRuntime runtime = run.runtime();
        runtime.logs(containerId, 20).forEach(run.stream(service.name()));
        String how = info.oomKilled() ? "was killed because it ran out of memory (OOM-killed at its memory limit)"
                : "exited" + (info.exitCode() == null ? "" : " with code " + info.exitCode());
        return new PloyerException(StandardErrorCode.RUNTIME_FAILURE, "the service " + service.name() + " " + how + " " + when
                + " (its last output is in the log)");
    }
}
