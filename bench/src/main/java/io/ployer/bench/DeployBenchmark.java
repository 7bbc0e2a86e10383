package io.ployer.bench;

import io.ployer.api.Ployer;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentRequest;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.health.HealthCheck;
import io.ployer.plugin.caddy.testing.CaddyProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;

/**
 * Deploy time of the engine against a shell baseline doing the same work by hand — {@code docker
 * build}, {@code docker run}, one Caddy admin call, poll through Caddy until the app answers — on
 * the same warm build cache, alternating pairs, reporting each pair's ratio and the median.
 *
 * <p>Usage: {@code bench/run-deploy-benchmark.sh [pairs]} (Docker and Caddy required).
 */
public final class DeployBenchmark {
    private DeployBenchmark() {
    }

    public static void main(String[] arguments) throws Exception {
        int pairs = arguments.length > 0 ? Integer.parseInt(arguments[0]) : 10;
        Path work = Files.createTempDirectory("ployer-bench-");
        try (CaddyProcess caddy = CaddyProcess.start(work.resolve("caddy"))) {
            Path repository = work.resolve("repo");
            writeApp(repository);
            Map<String, String> config = Map.of("git.allow-file-urls", "true", "domains.base", "bench.test", "proxy", "caddy",
                    "proxy.admin-address", caddy.adminAddress(), "proxy.http-port", String.valueOf(caddy.httpPort()),
                    "proxy.listen-host", "127.0.0.1", "proxy.http-only", "true", "deploy.drain-period", "1s");
            try (Ployer ployer = Ployer.builder().dataDirectory(work.resolve("data")).config(config).build()) {
                ployer.start();
                Application application = ployer.applications().create(ApplicationSpec.named("bench")
                        .withGit(repository.toUri().toString(), "main"));
                ployer.health().configure(new HealthCheck(application.id(), "/version.txt", 200, 299, Duration.ofSeconds(1),
                        Duration.ofSeconds(2), 1, 3, 50, Duration.ZERO, true));
                // Warm both paths: the build cache, Caddy's route, the JIT.
                deployWithEngine(ployer, application);
                runBaseline(repository, caddy, 0);

                List<Double> ratios = new ArrayList<>();
                for (int pair = 1; pair <= pairs; pair++) {
                    long engine = deployWithEngine(ployer, application);
                    long baseline = runBaseline(repository, caddy, pair);
                    double ratio = (double) engine / baseline;
                    ratios.add(ratio);
                    System.out.printf("pair %2d: engine %6d ms, shell baseline %6d ms, ratio %.3f%n", pair, engine / 1_000_000,
                            baseline / 1_000_000, ratio);
                }
                Collections.sort(ratios);
                double median = ratios.size() % 2 == 1 ? ratios.get(ratios.size() / 2)
                        : (ratios.get(ratios.size() / 2 - 1) + ratios.get(ratios.size() / 2)) / 2;
                System.out.printf("median ratio engine/baseline over %d pairs: %.3f (target <= 1.10)%n", pairs, median);
            }
            shell("docker ps -aq --filter label=ployer-bench=baseline | xargs -r docker rm -f >/dev/null; "
                    + "docker images -q ployer-bench/baseline | sort -u | xargs -r docker rmi -f >/dev/null");
        }
    }

    private static void writeApp(Path repository) throws Exception {
        try (Git git = Git.init().setDirectory(repository.toFile()).setInitialBranch("main").call()) {
            Files.writeString(repository.resolve("version.txt"), "bench\n");
            Files.writeString(repository.resolve("Dockerfile"), "FROM ployer/busybox:latest\nCOPY version.txt /www/version.txt\n"
                    + "CMD [\"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/www\"]\n");
            git.add().addFilepattern(".").call();
            git.commit().setMessage("bench").setAuthor("Bench", "bench@example.com").setCommitter("Bench", "bench@example.com").call();
        }
    }

    private static long deployWithEngine(Ployer ployer, Application application) throws InterruptedException {
        long start = System.nanoTime();
        Deployment deployment = ployer.deployments().deploy(DeploymentRequest.of(application.id()));
        deployment = ployer.deployments().awaitCompletion(deployment.id(), Duration.ofMinutes(5));
        long elapsed = System.nanoTime() - start;
        if (deployment.status() != DeploymentStatus.RUNNING) {
            throw new IllegalStateException("engine deployment ended " + deployment.status() + ": " + deployment.failureReason());
        }
        if (System.getenv("BENCH_TRACE") != null) {
            // Where the engine's time went: each log line with its offset from the request.
            Deployment traced = deployment;
            ployer.deployments().logs(deployment.id()).forEach(line -> System.out.printf("    +%4d ms  %s%n",
                    Duration.between(traced.createdAt(), line.at()).toMillis(), line.line()));
        }
        return elapsed;
    }

    /** The same work by hand, as a shell script; its previous container is removed outside the timing. */
    private static long runBaseline(Path repository, CaddyProcess caddy, int round) throws Exception {
        String tag = "ployer-bench/baseline:" + round;
        String route = "{\"@id\":\"bench-baseline\",\"match\":[{\"host\":[\"baseline.bench.test\"]}],"
                + "\"handle\":[{\"handler\":\"reverse_proxy\",\"upstreams\":[{\"dial\":\"127.0.0.1:PORT\"}]}],\"terminal\":true}";
        String script = "set -e\n"
                + "docker build -q -t " + tag + " " + repository + " >/dev/null\n"
                + "cid=$(docker run -d --label ployer-bench=baseline -p 127.0.0.1::8080 " + tag + ")\n"
                + "port=$(docker port \"$cid\" 8080/tcp | head -n1 | sed 's/.*://')\n"
                + "body='" + route + "'\n"
                + "body=${body/PORT/$port}\n"
                + "if ! curl -sf -X PATCH -H 'Content-Type: application/json' -d \"$body\" " + caddy.adminAddress() + "id/bench-baseline >/dev/null; then\n"
                + "  curl -sf -X POST -H 'Content-Type: application/json' -d \"$body\" " + caddy.adminAddress()
                + "config/apps/http/servers/ployer/routes >/dev/null\n"
                + "fi\n"
                + "until curl -sf -H 'Host: baseline.bench.test' http://127.0.0.1:" + caddy.httpPort() + "/version.txt >/dev/null; do :; done\n";
        shell("docker ps -aq --filter label=ployer-bench=baseline | xargs -r docker rm -f >/dev/null");
        long start = System.nanoTime();
        shell(script);
        return System.nanoTime() - start;
    }

    private static void shell(String script) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("baseline script failed: " + output);
        }
    }
}
