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
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A realistic mix against the reference server: 1,000 applications; 20 clients, each from its own
 * loopback address (so each is its own client to the per-address rate limiter), reading a page of
 * 50 applications, one application, or one application's deployments, while one writer changes
 * an env var or an application about once a second. Two phases, both on the production flags:
 *
 * <ol>
 *   <li>Throughput: closed-loop rounds, Ployer and bare Undertow (answering every target with the
 *       bytes Ployer answered it with) alternating, which one goes first alternating too; the
 *       limiter is on but set so high it never refuses (the default would turn this phase into a
 *       measurement of the limiter's refill rate).</li>
 *   <li>Latency at the default limit (300 a minute per client): each client paced at 4 requests a
 *       second, under its limit, for a fixed time; p50/p99 of reads and the 429 count.</li>
 * </ol>
 * Prints the throughput ratio (min/median/max), p50/p99, the response cache's hit rate and RSS.
 * Usage: {@code bench/run-mix-benchmark.sh [rounds]}.
 */
public final class MixBenchmark {
    static final int APPLICATIONS = 1000;
    static final int CLIENTS = 20;
    static final int PAGE = 50;
    static final Duration ROUND = Duration.ofSeconds(8);
    static final Duration PACED = Duration.ofSeconds(20);
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

    private MixBenchmark() {
    }

    /** What one window measured. */
    record Window(double rate, long[] readNanos, long errors, long refused) {
        double percentile(double p) {
            if (readNanos.length == 0) {
                return Double.NaN;
            }
            return readNanos[Math.min(readNanos.length - 1, (int) Math.floor(p * readNanos.length))] / 1e6;
        }
    }

    public static void main(String[] arguments) throws Exception {
        int rounds = arguments.length > 0 ? Integer.parseInt(arguments[0]) : 5;
        Path work = Files.createTempDirectory("ployer-mix-bench-");
        HttpClient setup = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        int port = FreePorts.next();
        int metricsPort = FreePorts.next();
        List<String> command = List.of("io.ployer.server.Main", "start", "--port", String.valueOf(port), "--data-dir",
                work.resolve("data").toString());
        Map<String, String> unlimited = Map.of("PLOYER_RATE_LIMIT", "100000000", "PLOYER_METRICS_PORT", String.valueOf(metricsPort));
        Process ployer = ServerBenchmarkSupport.start(unlimited, command, port, "/api/v1/health");
        String token;
        List<String> ids;
        Path capture = work.resolve("capture.tsv");
        Process bare = null;
        try {
            token = ServerBenchmarkSupport.login(setup, port);
            ids = createApplications(port, token);
            System.out.printf("set up: %d applications; RSS ployer %5.1f MiB%n", ids.size(), ServerBenchmark.rss(ployer) / ServerBenchmark.MIB);
            List<String> targets = targets(ids);
            StringBuilder lines = new StringBuilder();
            try (RawHttpClient client = new RawHttpClient("127.0.0.1", port)) {
                for (String target : targets) {
                    RawHttpClient.Answer answer = client.send("GET", target, token, null);
                    if (answer.status() != 200) {
                        throw new IllegalStateException(target + " answered " + answer.status());
                    }
                    lines.append(target).append('\t').append(Base64.getEncoder().encodeToString(answer.body())).append('\n');
                }
            }
            Files.writeString(capture, lines);
            int barePort = FreePorts.next();
            bare = ServerBenchmarkSupport.start(Map.of(), List.of("io.ployer.bench.MixBareServer", String.valueOf(barePort), capture.toString()),
                    barePort, targets.get(0));
            // Warm-up of both, then alternating rounds.
            mix(port, token, ids, targets, Duration.ofSeconds(5), true, 0);
            mix(barePort, token, ids, targets, Duration.ofSeconds(5), true, 0);
            List<Double> ratios = new ArrayList<>();
            List<Double> p50 = new ArrayList<>();
            List<Double> p99 = new ArrayList<>();
            double[] hits = cache(setup, metricsPort);
            for (int round = 1; round <= rounds; round++) {
                Window ployerWindow;
                Window bareWindow;
                if (round % 2 == 1) {
                    ployerWindow = mix(port, token, ids, targets, ROUND, true, 0);
                    bareWindow = mix(barePort, token, ids, targets, ROUND, true, 0);
                } else {
                    bareWindow = mix(barePort, token, ids, targets, ROUND, true, 0);
                    ployerWindow = mix(port, token, ids, targets, ROUND, true, 0);
                }
                double ratio = ployerWindow.rate() / bareWindow.rate();
                ratios.add(ratio);
                p50.add(ployerWindow.percentile(0.50));
                p99.add(ployerWindow.percentile(0.99));
                System.out.printf("round %d (%s first): ployer %6.0f req/s (reads p50 %.1f ms, p99 %.1f ms, %d errors), bare %6.0f req/s"
                                + " (p50 %.1f ms, p99 %.1f ms), ratio %.3f%n", round, round % 2 == 1 ? "ployer" : "bare",
                        ployerWindow.rate(), ployerWindow.percentile(0.5), ployerWindow.percentile(0.99), ployerWindow.errors(),
                        bareWindow.rate(), bareWindow.percentile(0.5), bareWindow.percentile(0.99), ratio);
            }
            double[] after = cache(setup, metricsPort);
            System.out.printf("THROUGHPUT ratio ployer/bare (min/median/max over %d rounds): %s (goal >= 0.5)%n", rounds, spread(ratios));
            System.out.printf("ployer reads p50 ms (min/median/max): %s; p99 ms: %s (goal p99 < 20 ms)%n", spread(p50), spread(p99));
            System.out.printf("response cache hit rate over the rounds: %.1f %% (%.0f hits, %.0f computed)%n",
                    100 * (after[0] - hits[0]) / Math.max(1, (after[0] - hits[0]) + (after[1] - hits[1])), after[0] - hits[0], after[1] - hits[1]);
            System.out.printf("RSS after the rounds: ployer %5.1f MiB, bare undertow %5.1f MiB%n",
                    ServerBenchmark.rss(ployer) / ServerBenchmark.MIB, ServerBenchmark.rss(bare) / ServerBenchmark.MIB);
        } finally {
            ployer.destroy();
            ployer.waitFor();
            if (bare != null) {
                bare.destroyForcibly().waitFor();
            }
        }
        // Phase 2: the same data, the default rate limit, paced clients.
        Process limited = ServerBenchmarkSupport.start(Map.of("PLOYER_METRICS_PORT", String.valueOf(metricsPort)), command, port, "/api/v1/health");
        try {
            List<String> targets = targets(ids);
            mix(port, token, ids, targets, Duration.ofSeconds(3), false, 4);
            Window paced = mix(port, token, ids, targets, PACED, true, 4);
            System.out.printf("DEFAULT RATE LIMIT, %d clients at 4 req/s each + 1 write/s for %d s: %.0f req/s, reads p50 %.1f ms, p99 %.1f ms,"
                            + " %d refused (429), %d other errors; RSS %5.1f MiB%n", CLIENTS, PACED.toSeconds(), paced.rate(),
                    paced.percentile(0.5), paced.percentile(0.99), paced.refused(), paced.errors(),
                    ServerBenchmark.rss(limited) / ServerBenchmark.MIB);
            Thread.sleep(5000);
            System.out.printf("RSS idle 5 s later: %5.1f MiB%n", ServerBenchmark.rss(limited) / ServerBenchmark.MIB);
        } finally {
            limited.destroy();
            limited.waitFor();
        }
    }

    static String spread(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return "%.3f / %.3f / %.3f".formatted(sorted.get(0), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
    }

    /** Every GET target of the mix: the pages, each application, each application's deployments. */
    static List<String> targets(List<String> ids) {
        List<String> targets = new ArrayList<>();
        for (int offset = 0; offset < ids.size(); offset += PAGE) {
            targets.add("/api/v1/applications?offset=" + offset + "&limit=" + PAGE);
        }
        for (String id : ids) {
            targets.add("/api/v1/applications/" + id);
            targets.add("/api/v1/deployments?app_id=" + id);
        }
        return targets;
    }

    private static List<String> createApplications(int port, String token) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                int first = thread;
                futures.add(pool.submit(() -> {
                    List<String> created = new ArrayList<>();
                    try (RawHttpClient client = new RawHttpClient("127.0.0.1", port)) {
                        for (int i = first; i < APPLICATIONS; i += 4) {
                            RawHttpClient.Answer answer = client.send("POST", "/api/v1/applications", token,
                                    "{\"name\":\"mix-%04d\",\"build_strategy\":\"image\",\"build_config\":{\"image\":\"ployer/busybox:latest\"}}"
                                            .formatted(i));
                            Matcher id = ID.matcher(new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8));
                            if (answer.status() != 201 || !id.find()) {
                                throw new IllegalStateException("create answered " + answer.status());
                            }
                            created.add(id.group(1));
                        }
                    }
                    return created;
                }));
            }
            List<String> ids = new ArrayList<>();
            for (Future<List<String>> future : futures) {
                ids.addAll(future.get());
            }
            return ids;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Runs the mix for {@code length}: {@value #CLIENTS} clients (closed loop, or {@code paced}
     * requests a second each) and one writer at one write a second.
     */
    static Window mix(int port, String token, List<String> ids, List<String> targets, Duration length, boolean record, int paced)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 1);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong requests = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        int pages = (ids.size() + PAGE - 1) / PAGE;
        try {
            List<Future<long[]>> futures = new ArrayList<>();
            long start = System.nanoTime();
            for (int c = 0; c < CLIENTS; c++) {
                int clientNumber = c;
                futures.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(clientNumber * 7919L);
                    long[] latencies = new long[1 << 16];
                    int count = 0;
                    long next = System.nanoTime();
                    try (RawHttpClient client = new RawHttpClient("127.0.0." + (10 + clientNumber), port)) {
                        while (!stop.get()) {
                            if (paced > 0) {
                                next += 1_000_000_000L / paced;
                                long wait = next - System.nanoTime();
                                if (wait > 0) {
                                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                                }
                            }
                            int pick = random.nextInt(10);
                            String target = pick < 4 ? targets.get(random.nextInt(pages))
                                    : targets.get(pages + 2 * random.nextInt(ids.size()) + (pick < 8 ? 0 : 1));
                            long sent = System.nanoTime();
                            RawHttpClient.Answer answer = client.send("GET", target, token, null);
                            long took = System.nanoTime() - sent;
                            requests.incrementAndGet();
                            if (answer.status() == 429) {
                                refused.incrementAndGet();
                            } else if (answer.status() != 200) {
                                errors.incrementAndGet();
                            } else if (count < latencies.length) {
                                latencies[count++] = took;
                            }
                        }
                    }
                    return java.util.Arrays.copyOf(latencies, count);
                }));
            }
            futures.add(pool.submit(() -> {
                SplittableRandom random = new SplittableRandom(42);
                try (RawHttpClient client = new RawHttpClient("127.0.0.9", port)) {
                    for (int write = 0; !stop.get(); write++) {
                        String id = ids.get(random.nextInt(ids.size()));
                        RawHttpClient.Answer answer = write % 2 == 0
                                ? client.send("POST", "/api/v1/applications/" + id + "/envs", token,
                                "{\"key\":\"MIX\",\"value\":\"" + write + "\"}")
                                : client.send("PUT", "/api/v1/applications/" + id, token, "{\"port\":" + (3000 + write % 1000) + "}");
                        requests.incrementAndGet();
                        if (answer.status() >= 300 && answer.status() != 429) {
                            errors.incrementAndGet();
                        }
                        Thread.sleep(1000);
                    }
                }
                return new long[0];
            }));
            Thread.sleep(length.toMillis());
            stop.set(true);
            List<long[]> all = new ArrayList<>();
            for (Future<long[]> future : futures) {
                all.add(future.get());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long[] merged = all.stream().flatMapToLong(java.util.Arrays::stream).sorted().toArray();
            return new Window(requests.get() / seconds, merged, errors.get(), refused.get());
        } finally {
            pool.shutdownNow();
        }
    }

    /** The response cache's hits and misses from the metrics listener. */
    private static double[] cache(HttpClient client, int metricsPort) throws Exception {
        String scrape = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return new double[] {metric(scrape, "ployer_response_cache_hits_total"), metric(scrape, "ployer_response_cache_misses_total")};
    }

    private static double metric(String scrape, String name) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new IllegalStateException("no " + name + " in /metrics");
    }
}
