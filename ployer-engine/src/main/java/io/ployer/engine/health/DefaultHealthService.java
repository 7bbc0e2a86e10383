package io.ployer.engine.health;

import io.ployer.api.PloyerException;
import io.ployer.api.health.ContainerStats;
import io.ployer.api.health.HealthCheck;
import io.ployer.api.health.HealthCheckResult;
import io.ployer.api.health.HealthService;
import io.ployer.spi.storage.Storage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Health check configuration and history, and container statistics, on top of storage. */
public final class DefaultHealthService implements HealthService {
    private final Storage storage;
    private final Consumer<String> requireApplication;

    /**
     * @param requireApplication throws NOT_FOUND when the application id does not exist
     */
    public DefaultHealthService(Storage storage, Consumer<String> requireApplication) {
        this.storage = storage;
        this.requireApplication = requireApplication;
    }

    @Override
    public HealthCheck configure(HealthCheck check) {
        if (check == null) {
            throw PloyerException.invalid("body", "is required");
        }
        validate(check);
        requireApplication.accept(check.applicationId());
        storage.inTransaction(tx -> {
            tx.healthChecks().upsert(check);
            return null;
        });
        return check;
    }

    static void validate(HealthCheck check) {
        String path = check.path();
        if (path.isEmpty() || path.charAt(0) != '/' || path.length() > 1024
                || path.chars().anyMatch(character -> character <= ' ' || character == 127)) {
            throw PloyerException.invalid("path", "must start with '/', be at most 1024 characters and contain no spaces or control characters");
        }
        if (!isUriPath(path)) {
            throw PloyerException.invalid("path", "must be a valid URI path such as /healthz: no braces, '|', '\\' "
                    + "or other characters that need escaping, and every '%' followed by two hex digits");
        }
        if (check.expectedStatusMin() < 100 || check.expectedStatusMax() > 599
                || check.expectedStatusMin() > check.expectedStatusMax()) {
            throw PloyerException.invalid("expected_status", "must be a range within 100..599 with min <= max");
        }
        within("interval", check.interval(), Duration.ofSeconds(1), Duration.ofHours(1));
        within("timeout", check.timeout(), Duration.ofMillis(100), Duration.ofMinutes(5));
        within("start_period", check.startPeriod(), Duration.ZERO, Duration.ofHours(1));
        if (check.healthyThreshold() < 1 || check.healthyThreshold() > 100) {
            throw PloyerException.invalid("healthy_threshold", "must be within 1..100");
        }
        if (check.unhealthyThreshold() < 1 || check.unhealthyThreshold() > 100) {
            throw PloyerException.invalid("unhealthy_threshold", "must be within 1..100");
        }
        if (check.retries() < 0 || check.retries() > 1000) {
            throw PloyerException.invalid("retries", "must be within 0..1000");
        }
    }

    /** Whether the probe can build {@code http://host:port} + {@code path} as a URI (path and query only). */
    static boolean isUriPath(String path) {
        try {
            java.net.URI uri = new java.net.URI("http://probe.invalid" + path);
            return "probe.invalid".equals(uri.getHost()) && uri.getRawFragment() == null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static void within(String field, Duration value, Duration min, Duration max) {
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw PloyerException.invalid(field, "must be between " + min + " and " + max);
        }
    }

    @Override
    public Optional<HealthCheck> healthCheck(String applicationId) {
        requireApplication.accept(applicationId);
        return storage.healthChecks().find(applicationId);
    }

    @Override
    public List<HealthCheckResult> results(String applicationId, int limit) {
        requireApplication.accept(applicationId);
        if (limit < 1 || limit > 1000) {
            throw PloyerException.invalid("limit", "must be within 1..1000");
        }
        return storage.healthCheckResults().latest(applicationId, limit);
    }

    @Override
    public List<ContainerStats> stats(String applicationId, Instant from, Instant to) {
        requireApplication.accept(applicationId);
        if (from == null || to == null || !from.isBefore(to)) {
            throw PloyerException.invalid("from", "must be before to");
        }
        return storage.containerStats().range(applicationId, from, to);
    }

    @Override
    public List<ContainerStats> stats(String applicationId, Instant from, Instant to, Duration step) {
        if (step == null || step.compareTo(Duration.ofSeconds(1)) < 0) {
            throw PloyerException.invalid("step", "must be at least 1 second");
        }
        java.util.TreeMap<Long, List<ContainerStats>> buckets = new java.util.TreeMap<>();
        for (ContainerStats sample : stats(applicationId, from, to)) {
            long bucket = Duration.between(from, sample.sampledAt()).toMillis() / step.toMillis();
            buckets.computeIfAbsent(bucket, key -> new java.util.ArrayList<>()).add(sample);
        }
        List<ContainerStats> result = new java.util.ArrayList<>();
        buckets.forEach((bucket, samples) -> {
            ContainerStats last = samples.get(samples.size() - 1);
            result.add(new ContainerStats("bucket-" + bucket, applicationId, last.containerId(),
                    samples.stream().mapToDouble(ContainerStats::cpuPercent).average().orElse(0),
                    (long) samples.stream().mapToLong(ContainerStats::memoryUsedBytes).average().orElse(0),
                    last.memoryLimitBytes(), last.networkRxBytes(), last.networkTxBytes(),
                    from.plus(step.multipliedBy(bucket))));
        });
        return result;
    }
}
