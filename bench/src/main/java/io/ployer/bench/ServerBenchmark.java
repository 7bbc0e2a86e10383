package io.ployer.bench;

import io.ployer.testkit.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The reference server against bare Undertow, both in child JVMs with the same production flags:
 * resident memory after start and after 1,000 API requests, and requests/s of
 * {@code GET /api/v1/applications} (20 apps) against a bare handler returning the same bytes,
 * alternating rounds, median ratio. Usage: {@code bench/run-server-benchmark.sh [rounds]}.
 */
public final class ServerBenchmark {
    /** The production flags of bin/ployer, for both servers. */
    static final List<String> JVM_FLAGS = jvmFlags();
    static final int CLIENTS = 8;
    static final int REQUESTS = 4000;
    /** Memory is reported in MiB (2^20 bytes), the unit of the JVM's own flags (-Xmx96m is 96 MiB). */
    static final double MIB = 1024.0 * 1024.0;
    /** How long the servers sit idle before their idle memory is read. */
    static final Duration IDLE = Duration.ofSeconds(5);

    private ServerBenchmark() {
    }

    public static void main(String[] arguments) throws Exception {
        int rounds = arguments.length > 0 ? Integer.parseInt(arguments[0]) : 3;
        Path work = Files.createTempDirectory("ployer-server-bench-");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        int ployerPort = FreePorts.next();
        List<String> ployerCommand = List.of("io.ployer.server.Main", "start", "--port", String.valueOf(ployerPort), "--data-dir",
                work.resolve("data").toString());
        // First start: creates the database (migrations) and the benchmark's account and 20 apps.
        Process first = start(List.of(), ployerCommand, ployerPort, "/api/v1/health");
        long firstStartRss = rss(first);
        String token = setUp(client, ployerPort);
        // The path a user takes: a fresh server, the admin registers and logs in (two argon2id
        // hashes of 19 MiB each), 20 apps are created, 1,000 reads; then it sits idle.
        load(client, URI.create("http://127.0.0.1:" + ployerPort + "/api/v1/applications"), token, 1000);
        long userPathRss = rss(first);
        Thread.sleep(IDLE.toMillis());
        System.out.printf("user path (fresh start, register + login, 20 apps, 1,000 GETs): RSS right after %5.1f MiB,"
                + " idle %d s later %5.1f MiB (target <= 96 MiB)%n", userPathRss / MIB, IDLE.toSeconds(), rss(first) / MIB);
        first.destroy();
        first.waitFor();
        // Measured: the installed server restarted on its data directory, as it runs day to day.
        Process ployer = start(List.of(), ployerCommand, ployerPort, "/api/v1/health");
        try {
            long ployerStartRss = rss(ployer);
            System.out.printf("RSS after the first start (creates the database): ployer %5.1f MiB%n", firstStartRss / MIB);
            URI ployerUri = URI.create("http://127.0.0.1:" + ployerPort + "/api/v1/applications");
            String body = client.send(request(ployerUri, token), HttpResponse.BodyHandlers.ofString()).body();
            Path bodyFile = work.resolve("body.json");
            Files.writeString(bodyFile, body);
            int barePort = FreePorts.next();
            Process bare = start(List.of(), List.of("io.ployer.bench.BareUndertowServer", String.valueOf(barePort), bodyFile.toString()),
                    barePort, "/");
            int frameworkPort = FreePorts.next();
            Process framework = start(List.of(), List.of("io.ployer.bench.BareRestEasyServer", String.valueOf(frameworkPort),
                    bodyFile.toString()), frameworkPort, "/api/v1/applications");
            try {
                long bareStartRss = rss(bare);
                long frameworkStartRss = rss(framework);
                URI bareUri = URI.create("http://127.0.0.1:" + barePort + "/api/v1/applications");
                URI frameworkUri = URI.create("http://127.0.0.1:" + frameworkPort + "/api/v1/applications");
                load(client, ployerUri, token, 1000);
                load(client, bareUri, token, 1000);
                load(client, frameworkUri, token, 1000);
                System.out.printf("RSS after restart:      ployer %5.1f MiB, bare undertow %5.1f MiB%n", ployerStartRss / MIB, bareStartRss / MIB);
                System.out.printf("RSS right after 1,000 calls: ployer %5.1f MiB, bare undertow %5.1f MiB%n",
                        rss(ployer) / MIB, rss(bare) / MIB);
                // Idle: what the server holds once the burst is over (the heap and glibc's free lists
                // are trimmed every 2 s, bin/jvm.options), which is what the target speaks of.
                Thread.sleep(IDLE.toMillis());
                System.out.printf("RSS idle %d s after:     ployer %5.1f MiB, bare undertow %5.1f MiB (target ployer <= 96 MiB)%n",
                        IDLE.toSeconds(), rss(ployer) / MIB, rss(bare) / MIB);
                System.out.printf("framework floor (RESTEasy + Undertow servlet + Jackson, one resource, no engine):"
                        + " RSS after start %5.1f MiB, after 1,000 calls %5.1f MiB%n", frameworkStartRss / MIB, rss(framework) / MIB);
                List<Double> ratios = new ArrayList<>();
                List<Double> frameworkRatios = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    long ployerCpu = cpuMillis(ployer);
                    double ployerRate = load(client, ployerUri, token, REQUESTS);
                    ployerCpu = cpuMillis(ployer) - ployerCpu;
                    long bareCpu = cpuMillis(bare);
                    double bareRate = load(client, bareUri, token, REQUESTS);
                    bareCpu = cpuMillis(bare) - bareCpu;
                    System.out.printf("         server CPU per request: ployer %.0f us, bare undertow %.0f us%n",
                            ployerCpu * 1000.0 / REQUESTS, bareCpu * 1000.0 / REQUESTS);
                    long frameworkCpu = cpuMillis(framework);
                    double frameworkRate = load(client, frameworkUri, token, REQUESTS);
                    frameworkCpu = cpuMillis(framework) - frameworkCpu;
                    frameworkRatios.add(frameworkRate / bareRate);
                    System.out.printf("         framework floor %7.0f req/s, ratio to bare undertow %.3f, server CPU per request %.0f us%n",
                            frameworkRate, frameworkRate / bareRate, frameworkCpu * 1000.0 / REQUESTS);
                    ratios.add(ployerRate / bareRate);
                    System.out.printf("round %d: ployer %7.0f req/s, bare undertow %7.0f req/s, ratio %.3f%n", round, ployerRate,
                            bareRate, ployerRate / bareRate);
                }
                Collections.sort(ratios);
                System.out.printf("median throughput ratio ployer/bare over %d rounds: %.3f (target >= 0.5)%n", rounds,
                        ratios.get(ratios.size() / 2));
                Collections.sort(frameworkRatios);
                System.out.printf("median throughput ratio framework floor/bare: %.3f%n", frameworkRatios.get(frameworkRatios.size() / 2));
                System.out.printf("RSS at the end:         ployer %5.1f MiB, bare undertow %5.1f MiB%n", rss(ployer) / MIB, rss(bare) / MIB);
                // The same list with the response cache off: what every read costs when storage changed since the last one.
                ployer.destroy();
                ployer.waitFor();
                Process uncached = start(List.of(), java.util.Map.of("PLOYER_RESPONSE_CACHE_TTL", "0"), ployerCommand, ployerPort,
                        "/api/v1/health");
                try {
                    load(client, ployerUri, token, 1000);
                    List<Double> uncachedRatios = new ArrayList<>();
                    for (int round = 1; round <= rounds; round++) {
                        double uncachedRate = load(client, ployerUri, token, REQUESTS);
                        double bareRate = load(client, bareUri, token, REQUESTS);
                        uncachedRatios.add(uncachedRate / bareRate);
                        System.out.printf("response cache off, round %d: ployer %7.0f req/s, bare undertow %7.0f req/s, ratio %.3f%n",
                                round, uncachedRate, bareRate, uncachedRate / bareRate);
                    }
                    Collections.sort(uncachedRatios);
                    System.out.printf("median throughput ratio with the response cache off: %.3f%n",
                            uncachedRatios.get(uncachedRatios.size() / 2));
                } finally {
                    uncached.destroy();
                    uncached.waitFor();
                }
            } finally {
                bare.destroyForcibly().waitFor();
                framework.destroyForcibly().waitFor();
            }
        } finally {
            ployer.destroy();
            ployer.waitFor();
        }
    }

    private static Process start(List<String> extraFlags, List<String> mainAndArguments, int port, String readyPath)
            throws Exception {
        return start(extraFlags, java.util.Map.of(), mainAndArguments, port, readyPath);
    }

    private static Process start(List<String> extraFlags, java.util.Map<String, String> environment, List<String> mainAndArguments,
                                 int port, String readyPath) throws Exception {
        // Throughput rounds measure the server, not the rate limiter: off unless the caller sets it.
        java.util.Map<String, String> withoutLimit = new java.util.HashMap<>(java.util.Map.of("PLOYER_RATE_LIMIT", "0"));
        withoutLimit.putAll(environment);
        return ServerBenchmarkSupport.start(extraFlags, withoutLimit, mainAndArguments, port, readyPath);
    }

    private static String setUp(HttpClient client, int port) throws Exception {
        String base = "http://127.0.0.1:" + port + "/api/v1";
        String credentials = "{\"email\":\"bench@example.com\",\"password\":\"bench-password\"}";
        client.send(post(base + "/auth/register", null, credentials), HttpResponse.BodyHandlers.discarding());
        String login = client.send(post(base + "/auth/login", null, credentials), HttpResponse.BodyHandlers.ofString()).body();
        String token = login.replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
        for (int i = 0; i < 20; i++) {
            client.send(post(base + "/applications", token, "{\"name\":\"bench-" + i + "\",\"build_strategy\":\"image\","
                    + "\"build_config\":{\"image\":\"ployer/busybox:latest\"}}"), HttpResponse.BodyHandlers.discarding());
        }
        return token;
    }

    private static HttpRequest post(String uri, String token, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(uri)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder.build();
    }

    private static HttpRequest request(URI uri, String token) {
        return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build();
    }

    /** Sends {@code total} GETs from {@value #CLIENTS} threads; returns requests per second. */
    private static double load(HttpClient client, URI uri, String token, int total) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            long start = System.nanoTime();
            List<Future<Integer>> futures = new ArrayList<>();
            for (int thread = 0; thread < CLIENTS; thread++) {
                futures.add(pool.submit(() -> {
                    int failures = 0;
                    for (int i = 0; i < total / CLIENTS; i++) {
                        if (client.send(request(uri, token), HttpResponse.BodyHandlers.ofByteArray()).statusCode() != 200) {
                            failures++;
                        }
                    }
                    return failures;
                }));
            }
            int failures = 0;
            for (Future<Integer> future : futures) {
                failures += future.get();
            }
            if (failures > 0) {
                throw new IllegalStateException(failures + " failed requests to " + uri);
            }
            return total / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The production flags: bin/jvm.options (what bin/ployer starts the server with), or the
     * whitespace-separated flags in BENCH_JVM_FLAGS to compare alternatives.
     */
    static List<String> jvmFlags() {
        try {
            String override = System.getenv("BENCH_JVM_FLAGS");
            if (override != null) {
                return List.of(override.trim().split("\\s+"));
            }
            return Files.readAllLines(Path.of("bin", "jvm.options")).stream().map(String::trim)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        } catch (IOException e) {
            throw new IllegalStateException("run from the repository root (bench/run-server-benchmark.sh): " + e.getMessage(), e);
        }
    }

    /** User + system CPU time of a process in milliseconds, from /proc (clock ticks of 10 ms). */
    static long cpuMillis(Process process) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
    }

    /** Resident set size of a process, from /proc. */
    static long rss(Process process) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }
}
