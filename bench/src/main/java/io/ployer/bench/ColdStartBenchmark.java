package io.ployer.bench;

import io.ployer.testkit.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Cold start: from launching the JVM to the first 200 on {@code /api/v1/health}, the Ployer server
 * (restarted on its data directory, as it starts day to day) against the JDK's own HTTP server
 * ({@link JdkHealthServer}) with the same JVM flags ({@code bin/jvm.options}), alternating which goes
 * first; per round both times and the ratio, then min/median/max and the load average. Both are
 * polled the same way (a raw HTTP/1.0 request on loopback every 5 ms).
 *
 * <p>Usage: {@code bench/run-cold-start-benchmark.sh [rounds]}. Extra flags for Ployer only:
 * {@code BENCH_PLOYER_FLAGS}; for both: {@code BENCH_JVM_FLAGS}.
 */
public final class ColdStartBenchmark {
    private ColdStartBenchmark() {
    }

    public static void main(String[] arguments) throws Exception {
        int rounds = arguments.length > 0 ? Integer.parseInt(arguments[0]) : 5;
        Path work = Files.createTempDirectory("ployer-cold-start-");
        String data = work.resolve("data").toString();
        int ployerPort = FreePorts.next();
        int barePort = FreePorts.next();
        List<String> ployer = List.of("io.ployer.server.Main", "start", "--port", String.valueOf(ployerPort), "--data-dir", data);
        List<String> bare = List.of("io.ployer.bench.JdkHealthServer", String.valueOf(barePort));
        System.out.printf("load average at start: %s%n", loadAverage());
        long fresh = launch(ployer, ployerPort, List.of());
        System.out.printf("first start on an empty data directory (creates the database): %d ms%n", fresh / 1_000_000);
        // A restart records the class-data archive bin/ployer records (-XX:ArchiveClassesAtExit, written at exit);
        // it also warms the page cache. One start of the baseline likewise; neither is counted.
        String archive = work.resolve("ployer.jsa").toString();
        launch(ployer, ployerPort, List.of("-XX:ArchiveClassesAtExit=" + archive));
        launch(bare, barePort, List.of());
        List<String> withArchive = List.of("-XX:SharedArchiveFile=" + archive);
        List<Long> ployerTimes = new ArrayList<>();
        List<Long> archivedTimes = new ArrayList<>();
        List<Long> bareTimes = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Double> archivedRatios = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            long p;
            long a;
            long b;
            if (round % 2 == 1) {
                p = launch(ployer, ployerPort, List.of());
                a = launch(ployer, ployerPort, withArchive);
                b = launch(bare, barePort, List.of());
            } else {
                b = launch(bare, barePort, List.of());
                a = launch(ployer, ployerPort, withArchive);
                p = launch(ployer, ployerPort, List.of());
            }
            ployerTimes.add(p);
            archivedTimes.add(a);
            bareTimes.add(b);
            ratios.add((double) p / b);
            archivedRatios.add((double) a / b);
            System.out.printf("round %d (%s first): ployer %5d ms, ployer with its CDS archive %5d ms, JDK HTTP server %4d ms, "
                    + "ratios %.2f / %.2f%n", round, round % 2 == 1 ? "ployer" : "JDK", p / 1_000_000, a / 1_000_000, b / 1_000_000,
                    (double) p / b, (double) a / b);
        }
        System.out.printf("ployer               min/median/max: %s ms%n", spread(ployerTimes));
        System.out.printf("ployer + CDS archive min/median/max: %s ms%n", spread(archivedTimes));
        System.out.printf("JDK HTTP server      min/median/max: %s ms%n", spread(bareTimes));
        Collections.sort(ratios);
        Collections.sort(archivedRatios);
        System.out.printf("ratio without archive min/median/max: %.2f / %.2f / %.2f%n", ratios.get(0), median(ratios),
                ratios.get(ratios.size() - 1));
        System.out.printf("ratio with archive    min/median/max: %.2f / %.2f / %.2f (target <= 3)%n", archivedRatios.get(0),
                median(archivedRatios), archivedRatios.get(archivedRatios.size() - 1));
        System.out.printf("load average at the end: %s%n", loadAverage());
    }

    /** Launches the server, waits for its first 200 and stops it; the nanoseconds from launch to that answer. */
    static long launch(List<String> mainAndArguments, int port, List<String> extraFlags) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ServerBenchmark.JVM_FLAGS);
        command.addAll(extraFlags);
        boolean isPloyer = mainAndArguments.get(0).equals("io.ployer.server.Main");
        String ployerOnly = System.getenv("BENCH_PLOYER_FLAGS");
        if (isPloyer && ployerOnly != null && !ployerOnly.isBlank()) {
            command.addAll(List.of(ployerOnly.trim().split("\\s+")));
        }
        command.add("-cp");
        command.add(isPloyer ? System.getProperty("bench.ployer.classpath") : System.getProperty("java.class.path"));
        command.addAll(mainAndArguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(Map.of("MALLOC_ARENA_MAX", "2", "LOG_LEVEL", "WARN"));
        long start = System.nanoTime();
        Process process = builder.start();
        try {
            long deadline = start + 120_000_000_000L;
            while (System.nanoTime() < deadline) {
                if (answers200(port)) {
                    return System.nanoTime() - start;
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException("the server exited with " + process.exitValue() + ": " + mainAndArguments);
                }
                Thread.sleep(5);
            }
            throw new IllegalStateException("no 200 within 120 s: " + mainAndArguments);
        } finally {
            process.destroy();
            process.waitFor();
        }
    }

    private static boolean answers200(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] head = new byte[12];
            int read = 0;
            while (read < head.length) {
                int n = in.read(head, read, head.length - read);
                if (n < 0) {
                    return false;
                }
                read += n;
            }
            return new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.") && new String(head, 9, 3,
                    StandardCharsets.US_ASCII).equals("200");
        } catch (IOException notYet) {
            return false;
        }
    }

    static String spread(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        long middle = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        return sorted.get(0) / 1_000_000 + " / " + middle / 1_000_000 + " / " + sorted.get(sorted.size() - 1) / 1_000_000;
    }

    static double median(List<Double> sorted) {
        return sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
