package io.ployer.engine.database;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.ployer.api.PloyerException;
import io.ployer.api.database.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs each database's backups at the times of its cron expression (Unix syntax, five fields, UTC),
 * one at a time. A backup that fails is recorded as FAILED by the service and the next one is still
 * scheduled.
 */
final class BackupScheduler implements AutoCloseable {
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final Consumer<String> backup;
    private final Map<String, ScheduledFuture<?>> scheduled = new ConcurrentHashMap<>();

    BackupScheduler(Clock clock, ThreadFactory threadFactory, Consumer<String> backup) {
        this.clock = clock;
        this.executor = Executors.newSingleThreadScheduledExecutor(threadFactory);
        this.backup = backup;
    }

    /** INVALID_ARGUMENT naming {@code schedule} unless it is a five-field cron expression. */
    static Cron validate(String schedule) {
        try {
            return PARSER.parse(schedule).validate();
        } catch (IllegalArgumentException e) {
            throw PloyerException.invalid("schedule", "the schedule must be a cron expression of five fields, such as 0 3 * * *");
        }
    }

    /** (Re)schedules the database's next backup from its policy; without a schedule nothing runs. */
    void schedule(Database database) {
        schedule(database.id(), database.backup() == null ? null : database.backup().schedule());
    }

    /** (Re)schedules what {@code key} names (a database id, or the platform's key) at {@code schedule}; {@code null}: never. */
    void schedule(String key, String schedule) {
        cancel(key);
        if (schedule == null) {
            return;
        }
        scheduleNext(key, validate(schedule));
    }

    private void scheduleNext(String databaseId, Cron cron) {
        if (executor.isShutdown()) {
            return;
        }
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(ZoneOffset.UTC));
        ExecutionTime.forCron(cron).timeToNextExecution(now).ifPresent(delay -> {
            long millis = Math.max(0, delay.toMillis());
            scheduled.put(databaseId, executor.schedule(() -> {
                try {
                    backup.accept(databaseId);
                } finally {
                    scheduleNext(databaseId, cron);
                }
            }, Math.max(millis, Duration.ofSeconds(1).toMillis()), TimeUnit.MILLISECONDS));
        });
    }

    void cancel(String databaseId) {
        ScheduledFuture<?> previous = scheduled.remove(databaseId);
        if (previous != null) {
            previous.cancel(false);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
