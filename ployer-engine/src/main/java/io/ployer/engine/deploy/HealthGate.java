package io.ployer.engine.deploy;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.health.HealthCheck;
import io.ployer.api.container.ContainerInfo;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.api.container.Endpoint;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Decides whether a freshly started container may take traffic: its HTTP health check passes; when
 * the app has none, the default gate ({@link #defaultCheck}: {@code GET /} answered below 500)
 * passes; when its check is turned off ({@code enabled=false}), it is still running after a short
 * wait (and the log says so).
 */
final class HealthGate {
    /** The gate polls at most this far apart, whatever the monitor's interval, so deploys stay quick. */
    static final Duration MAX_GATE_INTERVAL = Duration.ofSeconds(1);

    /** Asked at each check rather than at construction: a server that never deploys never builds the client. */
    private final Supplier<HttpClient> httpClient;
    private final Clock clock;
    private final Duration noCheckWait;
    private final DeploymentTimers timers;

    HealthGate(Supplier<HttpClient> httpClient, Clock clock, Duration noCheckWait, DeploymentTimers timers) {
        this.httpClient = httpClient;
        this.clock = clock;
        this.noCheckWait = noCheckWait;
        this.timers = timers;
    }

    /** Failed tries the default gate tolerates, one a second: an app has about a minute to answer. */
    static final int DEFAULT_GATE_RETRIES = 60;

    /**
     * The gate of an app without a configured health check: {@code GET /} on its port, where any
     * answer below 500 proves the app is up (a 404 or a 401 still means something listens and speaks
     * HTTP); connection refused, a 5xx or no answer for about a minute fails the deployment.
     */
    static HealthCheck defaultCheck(String applicationId) {
        return new HealthCheck(applicationId, "/", 100, 499, MAX_GATE_INTERVAL, Duration.ofSeconds(2), 1, 3,
                DEFAULT_GATE_RETRIES, Duration.ZERO, true);
    }

    void await(ContainerRuntime runtime, String containerId, Endpoint endpoint, Optional<HealthCheck> check,
               Duration timeout, DeploymentLog log, CancellationToken token) throws InterruptedException {
        await(runtime, containerId, endpoint, check, 0, timeout, log, token);
    }

    /**
     * @param appPort the app's port inside the container, named in the default gate's failure reason
     *                (0: unknown)
     */
    void await(ContainerRuntime runtime, String containerId, Endpoint endpoint, Optional<HealthCheck> check, int appPort,
               Duration timeout, DeploymentLog log, CancellationToken token) throws InterruptedException {
        if (check.isPresent() && !check.get().enabled()) {
            log.system("Health check turned off (enabled=false): the container passes if it is still running after "
                    + noCheckWait.toSeconds() + "s");
            if (timers.pause(token, noCheckWait)) {
                throw cancelled();
            }
            requireRunning(runtime, containerId, log);
            return;
        }
        if (check.isEmpty()) {
            String port = appPort > 0 ? "port " + appPort : "its port";
            log.system("Default health check: GET / on " + port + ", any answer below 500 passes (configure a health "
                    + "check to change it, or turn it off with enabled=false)");
            try {
                gate(runtime, containerId, endpoint, defaultCheck("default"), timeout, log, token, true);
            } catch (PloyerException e) {
                if (e.code() == StandardErrorCode.CANCELLED || e.code() == StandardErrorCode.RUNTIME_FAILURE) {
                    throw e;
                }
                throw new PloyerException(e.code(), "The app did not answer HTTP on " + port + " (" + e.getMessage()
                        + "). Check that it listens on 0.0.0.0:" + (appPort > 0 ? appPort : "<port>")
                        + " or set the application's port, or configure or turn off its health check.");
            }
            return;
        }
        gate(runtime, containerId, endpoint, check.get(), timeout, log, token, false);
    }

    private void gate(ContainerRuntime runtime, String containerId, Endpoint endpoint, HealthCheck check, Duration timeout,
                      DeploymentLog log, CancellationToken token, boolean implicit) throws InterruptedException {
        HealthCheck healthCheck = check;
        Duration interval = healthCheck.interval().compareTo(MAX_GATE_INTERVAL) < 0 ? healthCheck.interval() : MAX_GATE_INTERVAL;
        if (!implicit) {
            log.system("Health check: GET " + healthCheck.path() + " expecting " + healthCheck.expectedStatusMin() + "-"
                + healthCheck.expectedStatusMax() + ", up to " + healthCheck.retries() + " failures after a start period of "
                + healthCheck.startPeriod().toSeconds() + "s");
        }
        Instant started = clock.instant();
        Instant deadline = started.plus(timeout);
        int failures = 0;
        int successes = 0;
        String last = "no answer yet";
        while (true) {
            if (token.isCancelled()) {
                throw cancelled();
            }
            requireRunning(runtime, containerId, log);
            Probe probe = probe(endpoint, healthCheck);
            if (probe.healthy()) {
                successes++;
                if (successes >= Math.max(1, healthCheck.healthyThreshold())) {
                    log.system("Health check passed: HTTP " + probe.status() + " in " + probe.millis() + " ms");
                    return;
                }
            } else {
                successes = 0;
                last = probe.describe();
                boolean inStartPeriod = clock.instant().isBefore(started.plus(healthCheck.startPeriod()));
                if (!inStartPeriod) {
                    failures++;
                    log.system("Health check attempt " + failures + " of " + (healthCheck.retries() + 1) + " failed: " + last);
                    if (failures > healthCheck.retries()) {
                        throw new PloyerException(StandardErrorCode.INVALID_STATE, implicit
                                ? "last try: " + last + ", after " + failures + " tries"
                                : "the app never became healthy: " + failures + " failed health checks, last: " + last);
                    }
                }
            }
            if (clock.instant().isAfter(deadline)) {
                throw new PloyerException(StandardErrorCode.TIMEOUT, implicit
                        ? "no passing answer within " + timeout.toSeconds() + "s, last try: " + last
                        : "the app did not become healthy within " + timeout.toSeconds() + "s, last: " + last);
            }
            if (timers.pause(token, interval)) {
                throw cancelled();
            }
        }
    }

    private void requireRunning(ContainerRuntime runtime, String containerId, DeploymentLog log) {
        Optional<ContainerInfo> info = runtime.inspectContainer(containerId);
        if (info.isEmpty()) {
            throw new PloyerException(StandardErrorCode.RUNTIME_FAILURE, "the container disappeared before it became healthy");
        }
        if (info.get().crashed()) {
            List<String> tail = runtime.logs(containerId, 20);
            tail.forEach(line -> log.write("container", line));
            throw new PloyerException(StandardErrorCode.RUNTIME_FAILURE,
                    ContainerStart.exitedMessage(info.get(), "before it became healthy (its last output is in the log)"));
        }
    }

    private Probe probe(Endpoint endpoint, HealthCheck check) throws InterruptedException {
        URI uri = URI.create("http://" + endpoint.address() + check.path());
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(check.timeout()).GET().build();
        long start = System.nanoTime();
        try {
            HttpResponse<Void> response = httpClient.get().send(request, HttpResponse.BodyHandlers.discarding());
            long millis = (System.nanoTime() - start) / 1_000_000;
            return new Probe(check.accepts(response.statusCode()), response.statusCode(), millis, null);
        } catch (IOException e) {
            long millis = (System.nanoTime() - start) / 1_000_000;
            return new Probe(false, 0, millis, probeError(e, check));
        }
    }

    /** What went wrong with one probe, as words (the exception's class stays out of reasons). */
    static String probeError(IOException e, HealthCheck check) {
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "no answer within " + check.timeout().toMillis() + " ms";
        }
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        return "the connection closed without an HTTP answer";
    }

    private static PloyerException cancelled() {
        return new PloyerException(StandardErrorCode.CANCELLED, "cancelled");
    }

    private record Probe(boolean healthy, int status, long millis, String error) {
        String describe() {
            return error != null ? error : "HTTP " + status;
        }
    }
}
