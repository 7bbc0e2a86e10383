package io.ployer.engine.deploy;

import io.ployer.api.deployment.DeploymentLogLine;
import io.ployer.api.event.PloyerEvent;
import io.ployer.spi.storage.Storage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of one deployment: every line is redacted first, published as an event at once, and
 * stored (up to a size cap, after which one truncation notice is stored). Stored lines are written
 * in batches — when 64 are waiting, when the oldest has waited a second, and whenever the pipeline
 * changes state — so a chatty build does not pay one synchronous disk write per line.
 */
final class DeploymentLog {
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentLog.class);

    private final String deploymentId;
    private final String applicationId;
    private final Storage storage;
    private final Clock clock;
    private final UnaryOperator<String> redactor;
    private final Consumer<PloyerEvent> events;
    private final long limitBytes;
    private long sequence;
    private long storedBytes;
    private boolean truncated;
    private final java.util.List<DeploymentLogLine> pending = new java.util.ArrayList<>();
    private java.time.Instant oldestPending;
    static final int BATCH_LINES = 64;
    static final java.time.Duration BATCH_AGE = java.time.Duration.ofSeconds(1);

    DeploymentLog(String deploymentId, String applicationId, Storage storage, Clock clock,
                  UnaryOperator<String> redactor, Consumer<PloyerEvent> events, long limitBytes, long nextSequence) {
        this.deploymentId = deploymentId;
        this.applicationId = applicationId;
        this.storage = storage;
        this.clock = clock;
        this.redactor = redactor;
        this.events = events;
        this.limitBytes = limitBytes;
        this.sequence = nextSequence;
    }

    Consumer<String> stream(String stream) {
        return line -> write(stream, line);
    }

    void system(String line) {
        write("system", line);
    }

    synchronized void write(String stream, String rawLine) {
        if (rawLine == null) {
            return;
        }
        String line = redactor.apply(stripTrailingNewline(rawLine));
        DeploymentLogLine logLine = new DeploymentLogLine(deploymentId, sequence++, stream, line, clock.instant());
        long size = line.getBytes(StandardCharsets.UTF_8).length + 1L;
        if (storedBytes + size <= limitBytes) {
            storedBytes += size;
            keep(logLine);
        } else if (!truncated) {
            truncated = true;
            keep(new DeploymentLogLine(deploymentId, logLine.sequence(), "system",
                    "[log truncated: stored logs of a deployment are capped at " + limitBytes
                            + " bytes; later lines are only streamed live]", logLine.at()));
        }
        events.accept(new PloyerEvent.DeploymentLogged(applicationId, logLine));
        if (pending.size() >= BATCH_LINES || oldestPending != null
                && java.time.Duration.between(oldestPending, logLine.at()).compareTo(BATCH_AGE) >= 0) {
            flush();
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("[{}] {}", deploymentId, line);
        }
    }

    private void keep(DeploymentLogLine line) {
        if (pending.isEmpty()) {
            oldestPending = line.at();
        }
        pending.add(line);
    }

    /** Stores the waiting lines in one transaction. */
    synchronized void flush() {
        if (pending.isEmpty()) {
            return;
        }
        java.util.List<DeploymentLogLine> batch = java.util.List.copyOf(pending);
        pending.clear();
        oldestPending = null;
        storage.inTransaction(tx -> {
            batch.forEach(tx.deployments()::appendLog);
            return null;
        });
    }

    private static String stripTrailingNewline(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == '\n' || line.charAt(end - 1) == '\r')) {
            end--;
        }
        return line.substring(0, end);
    }
}
