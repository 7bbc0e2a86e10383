package io.ployer.bench;

import io.ployer.testkit.FreePorts;
import io.ployer.plugin.caddy.testing.CaddyProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * Webhook to live: a signed GitHub push to the Ployer server (production flags) until the new commit's
 * page answers 200 through Caddy, against a shell baseline started at the same moment doing the same
 * work by hand (clone, {@code docker build}, {@code docker run}, one Caddy admin call), on a changed
 * commit each round (a real build), which one is launched first alternating. Both are timed the same
 * way: the harness polls each app's page through Caddy every 10 ms until it shows the round's commit.
 * The previous version's drain and pruning finish between rounds, outside both windows.
 *
 * <p>Usage: {@code bench/run-webhook-benchmark.sh [rounds]} (Docker and Caddy required).
 */
public final class WebhookBenchmark {
    private static final String BASE = "bench.test";

    private WebhookBenchmark() {
    }

    public static void main(String[] arguments) throws Exception {
        // Requests through Caddy name the app by its Host header (restricted in the JDK's client unless allowed).
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
        int rounds = arguments.length > 0 ? Integer.parseInt(arguments[0]) : 3;
        Path work = Files.createTempDirectory("ployer-webhook-bench-");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        System.out.printf("load average at start: %s%n", ColdStartBenchmark.loadAverage());
        try (CaddyProcess caddy = CaddyProcess.start(work.resolve("caddy"))) {
            Path ployerRepo = work.resolve("ployer-repo");
            Path shellRepo = work.resolve("shell-repo");
            Git ployerGit = init(ployerRepo);
            Git shellGit = init(shellRepo);
            int port = FreePorts.next();
            Process server = ServerBenchmarkSupport.start(Map.ofEntries(Map.entry("PLOYER_GIT_ALLOW_FILE_URLS", "true"),
                    Map.entry("PLOYER_DOMAINS_BASE", BASE), Map.entry("PLOYER_PROXY", "caddy"),
                    Map.entry("PLOYER_PROXY_ADMIN_ADDRESS", caddy.adminAddress()),
                    Map.entry("PLOYER_PROXY_HTTP_PORT", String.valueOf(caddy.httpPort())),
                    Map.entry("PLOYER_PROXY_LISTEN_HOST", "127.0.0.1"), Map.entry("PLOYER_PROXY_HTTP_ONLY", "true"),
                    Map.entry("PLOYER_DEPLOY_DRAIN_PERIOD", "1s"), Map.entry("PLOYER_RATE_LIMIT", "0")),
                    List.of("io.ployer.server.Main", "start", "--port", String.valueOf(port), "--data-dir",
                            work.resolve("data").toString()), port, "/api/v1/health");
            String api = "http://127.0.0.1:" + port + "/api/v1";
            try {
                String token = ServerBenchmarkSupport.login(client, port);
                String app = call(client, token, "POST", api + "/applications", "{\"name\":\"hook\",\"git_url\":\""
                        + ployerRepo.toUri() + "\",\"branch\":\"main\"}");
                String appId = field(app, "id");
                call(client, token, "POST", api + "/applications/" + appId + "/health-check", "{\"path\":\"/version.txt\","
                        + "\"expected_status_min\":200,\"expected_status_max\":299,\"interval_seconds\":1,\"timeout_seconds\":2,"
                        + "\"retries\":50,\"start_period_seconds\":0}");
                String secret = field(call(client, token, "POST", api + "/applications/" + appId + "/webhooks",
                        "{\"provider\":\"github\"}"), "secret");
                URI hook = URI.create(api + "/webhooks/github?app_id=" + appId);
                // Warm-up round (build cache of the base image, JIT, Caddy's routes), not counted.
                round(client, caddy, hook, secret, ployerGit, ployerRepo, shellGit, shellRepo, 0, api, token, appId);
                List<Long> ployerTimes = new ArrayList<>();
                List<Long> shellTimes = new ArrayList<>();
                List<Double> ratios = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    long[] times = round(client, caddy, hook, secret, ployerGit, ployerRepo, shellGit, shellRepo, round, api, token, appId);
                    ployerTimes.add(times[0]);
                    shellTimes.add(times[1]);
                    ratios.add((double) times[0] / times[1]);
                    System.out.printf("round %d (%s first): ployer %5d ms, shell %5d ms, ployer adds %5d ms, ratio %.2f%n", round,
                            round % 2 == 1 ? "ployer" : "shell", times[0] / 1_000_000, times[1] / 1_000_000,
                            (times[0] - times[1]) / 1_000_000, (double) times[0] / times[1]);
                }
                List<Long> added = new ArrayList<>();
                for (int i = 0; i < rounds; i++) {
                    added.add(ployerTimes.get(i) - shellTimes.get(i));
                }
                Collections.sort(ratios);
                System.out.printf("ployer min/median/max: %s ms%n", ColdStartBenchmark.spread(ployerTimes));
                System.out.printf("shell  min/median/max: %s ms%n", ColdStartBenchmark.spread(shellTimes));
                System.out.printf("added  min/median/max: %s ms (target <= 150)%n", ColdStartBenchmark.spread(added));
                System.out.printf("ratio  min/median/max: %.2f / %.2f / %.2f%n", ratios.get(0), ColdStartBenchmark.median(ratios),
                        ratios.get(ratios.size() - 1));
                System.out.printf("load average at the end: %s%n", ColdStartBenchmark.loadAverage());
            } finally {
                server.destroy();
                server.waitFor();
                shell("docker ps -aq --filter label=ployer-bench=webhook-shell | xargs -r docker rm -f >/dev/null; "
                        + "docker images -q ployer-bench/webhook-shell | sort -u | xargs -r docker rmi -f >/dev/null; "
                        + "docker ps -aq --filter label=io.ployer.managed=true --filter name=ployer-hook- | xargs -r docker rm -f >/dev/null; "
                        + "docker images -q ployer/hook | sort -u | xargs -r docker rmi -f >/dev/null");
            }
        }
    }

    /** One round: a new commit in each repository, then the push and the shell script at once; both times in nanoseconds. */
    private static long[] round(HttpClient client, CaddyProcess caddy, URI hook, String secret, Git ployerGit, Path ployerRepo,
                                Git shellGit, Path shellRepo, int round, String api, String token, String appId) throws Exception {
        String version = "round " + round + " " + UUID.randomUUID();
        String sha = commit(ployerGit, ployerRepo, version);
        commit(shellGit, shellRepo, version);
        shell("docker ps -aq --filter label=ployer-bench=webhook-shell | xargs -r docker rm -f >/dev/null");
        String body = "{\"ref\":\"refs/heads/main\",\"after\":\"" + sha + "\",\"repository\":{\"clone_url\":\"" + ployerRepo.toUri()
                + "\"},\"head_commit\":{\"id\":\"" + sha + "\",\"message\":\"" + version + "\",\"author\":{\"name\":\"Bench\"}}}";
        HttpRequest push = HttpRequest.newBuilder(hook).header("Content-Type", "application/json")
                .header("X-GitHub-Event", "push").header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", "sha256=" + hmac(secret, body))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        String script = baselineScript(shellRepo, caddy, round);
        long start = System.nanoTime();
        CompletableFuture<Long> ployerLive = CompletableFuture.supplyAsync(() -> awaitPage(caddy, "hook." + BASE, version, start));
        CompletableFuture<Long> shellLive = CompletableFuture.supplyAsync(() -> awaitPage(caddy, "shell." + BASE, version, start));
        Process shellProcess;
        HttpResponse<String> answer;
        if (round % 2 == 1) {
            answer = client.send(push, HttpResponse.BodyHandlers.ofString());
            shellProcess = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        } else {
            shellProcess = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
            answer = client.send(push, HttpResponse.BodyHandlers.ofString());
        }
        if (answer.statusCode() / 100 != 2) {
            throw new IllegalStateException("the push was refused: " + answer.statusCode() + " " + answer.body());
        }
        long[] times = {ployerLive.get(), shellLive.get()};
        String output = new String(shellProcess.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (shellProcess.waitFor() != 0) {
            throw new IllegalStateException("the shell baseline failed: " + output);
        }
        // The previous version's drain (1 s) and the pruning finish here, outside both windows.
        awaitSettled(client, api, token, appId);
        Thread.sleep(2500);
        return times;
    }

    private static String baselineScript(Path repository, CaddyProcess caddy, int round) {
        String tag = "ployer-bench/webhook-shell:" + round;
        String route = "{\"@id\":\"webhook-shell\",\"match\":[{\"host\":[\"shell." + BASE + "\"]}],"
                + "\"handle\":[{\"handler\":\"reverse_proxy\",\"upstreams\":[{\"dial\":\"127.0.0.1:PORT\"}]}],\"terminal\":true}";
        return "set -e\n"
                + "dir=$(mktemp -d)\n"
                + "git clone -q --depth 1 --branch main " + repository.toUri() + " \"$dir\"\n"
                + "docker build -q -t " + tag + " \"$dir\" >/dev/null\n"
                + "rm -rf \"$dir\"\n"
                + "cid=$(docker run -d --label ployer-bench=webhook-shell -p 127.0.0.1::8080 " + tag + ")\n"
                + "port=$(docker port \"$cid\" 8080/tcp | head -n1 | sed 's/.*://')\n"
                + "until curl -sf http://127.0.0.1:$port/version.txt >/dev/null; do :; done\n"
                + "body='" + route + "'\n"
                + "body=${body/PORT/$port}\n"
                + "if ! curl -sf -X PATCH -H 'Content-Type: application/json' -d \"$body\" " + caddy.adminAddress()
                + "id/webhook-shell >/dev/null; then\n"
                + "  curl -sf -X POST -H 'Content-Type: application/json' -d \"$body\" " + caddy.adminAddress()
                + "config/apps/http/servers/ployer/routes >/dev/null\n"
                + "fi\n";
    }

    /** Polls the app's page through Caddy every 10 ms until it shows {@code version}; nanoseconds since {@code start}. */
    private static long awaitPage(CaddyProcess caddy, String host, String version, long start) {
        HttpClient poller = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + caddy.httpPort() + "/version.txt"))
                .header("Host", host).timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = start + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = poller.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().strip().equals(version)) {
                    return System.nanoTime() - start;
                }
            } catch (IOException notYet) {
                // nothing listens yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(host + " never showed " + version);
    }

    /** Waits until the application's newest deployment has ended. */
    private static void awaitSettled(HttpClient client, String api, String token, String appId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            String list = call(client, token, "GET", api + "/deployments?app_id=" + appId + "&limit=1", null);
            String status = field(list, "status");
            if (List.of("RUNNING", "FAILED", "CANCELLED", "SUPERSEDED").contains(status)) {
                if (!status.equals("RUNNING")) {
                    throw new IllegalStateException("the deployment ended " + status + ": " + list);
                }
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the deployment did not end");
    }

    private static Git init(Path repository) throws Exception {
        Git git = Git.init().setDirectory(repository.toFile()).setInitialBranch("main").call();
        Files.writeString(repository.resolve("Dockerfile"), "FROM ployer/busybox:latest\nCOPY version.txt /www/version.txt\n"
                + "CMD [\"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/www\"]\n");
        commit(git, repository, "initial");
        return git;
    }

    private static String commit(Git git, Path repository, String version) throws Exception {
        Files.writeString(repository.resolve("version.txt"), version + "\n");
        git.add().addFilepattern(".").call();
        RevCommit commit = git.commit().setMessage(version).setAuthor("Bench", "bench@example.com")
                .setCommitter("Bench", "bench@example.com").call();
        return commit.getName();
    }

    private static String hmac(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static String call(HttpClient client, String token, String method, String uri, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + uri + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** The first string value of {@code name} in a JSON text (enough for the answers read here). */
    private static String field(String json, String name) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return matcher.group(1);
    }

    private static void shell(String script) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        process.waitFor();
    }
}
