package io.ployer.bench;

import io.ployer.api.Ployer;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.deployment.DeploymentQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The computed reads of the realistic mix below the HTTP layer (a page of 50 applications, one
 * application, one application's deployments, 40/40/20 %, as {@link MixBenchmark} asks them), on
 * 1,000 applications, by two engines in one JVM on copies of the same database: one keeping SQLite
 * prepared statements (the default), one preparing every statement anew (the system property
 * {@code ployer.sqlite.prepare-every-time}, read when its storage opens); alternating rounds,
 * microseconds per read, min/median/max of the ratio.
 *
 * <p>Usage: {@code bench/run-storage-read-benchmark.sh [rounds]}.
 */
public final class StorageReadBenchmark {
    private static final int READS = 3000;

    private StorageReadBenchmark() {
    }

    public static void main(String[] arguments) throws Exception {
        int rounds = arguments.length > 0 ? Integer.parseInt(arguments[0]) : 5;
        Path work = Files.createTempDirectory("ployer-storage-read-");
        Path kept = work.resolve("kept");
        List<String> ids = new ArrayList<>();
        try (Ployer setup = open(kept)) {
            for (int i = 0; i < 1000; i++) {
                ids.add(setup.applications().create(ApplicationSpec.named("app-" + i).withGit("https://example.com/app-" + i + ".git", "main")).id());
            }
        }
        Path fresh = work.resolve("fresh");
        copy(kept, fresh);
        System.out.printf("load average at start: %s%n", ColdStartBenchmark.loadAverage());
        try (Ployer withKept = open(kept)) {
            System.setProperty("ployer.sqlite.prepare-every-time", "true");
            Ployer everyTime = open(fresh);
            System.clearProperty("ployer.sqlite.prepare-every-time");
            try (everyTime) {
                for (int warm = 0; warm < 3; warm++) { // warm-up (JIT, page cache), not counted
                    reads(withKept, ids, READS, warm);
                    reads(everyTime, ids, READS, warm);
                }
                List<Double> ratios = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    double a;
                    double b;
                    if (round % 2 == 1) {
                        a = reads(withKept, ids, READS, round);
                        b = reads(everyTime, ids, READS, round);
                    } else {
                        b = reads(everyTime, ids, READS, round);
                        a = reads(withKept, ids, READS, round);
                    }
                    ratios.add(b / a);
                    System.out.printf("round %d: kept statements %6.1f µs/read, prepared every time %6.1f µs/read, speed-up %.2f%n",
                            round, a, b, b / a);
                }
                Collections.sort(ratios);
                System.out.printf("speed-up min/median/max: %.2f / %.2f / %.2f%n", ratios.get(0), ColdStartBenchmark.median(ratios),
                        ratios.get(ratios.size() - 1));
                System.out.printf("load average at the end: %s%n", ColdStartBenchmark.loadAverage());
            }
        }
    }

    private static Ployer open(Path data) {
        Ployer ployer = Ployer.builder().dataDirectory(data).config("reconcile", "false").build();
        ployer.start();
        return ployer;
    }

    /** Microseconds per read of {@code count} reads of the mix. */
    private static double reads(Ployer ployer, List<String> ids, int count, long seed) {
        Random random = new Random(seed);
        long start = System.nanoTime();
        int sink = 0;
        for (int i = 0; i < count; i++) {
            int pick = random.nextInt(10);
            String id = ids.get(random.nextInt(ids.size()));
            if (pick < 4) {
                sink += ployer.applications().list(random.nextInt(20) * 50, 50).size();
            } else if (pick < 8) {
                Application application = ployer.applications().get(id);
                sink += application.name().length();
            } else {
                sink += ployer.deployments().list(new DeploymentQuery(id, null, 0, 50)).size();
            }
        }
        if (sink < 0) {
            throw new IllegalStateException();
        }
        return (System.nanoTime() - start) / 1000.0 / count;
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else if (!file.getFileName().toString().endsWith(".lock")) {
                    Files.copy(file, target);
                }
            }
        }
    }
}
