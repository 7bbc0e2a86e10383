package io.ployer.engine.notify;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.event.EventService;
import io.ployer.api.event.EventSubscription;
import io.ployer.api.event.PloyerEvent;
import io.ployer.api.notification.ChannelSpec;
import io.ployer.api.notification.NotificationChannel;
import io.ployer.api.notification.NotificationDelivery;
import io.ployer.api.notification.NotificationService;
import io.ployer.engine.secret.SecretCipher;
import io.ployer.engine.secret.SecretRedactor;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.notify.Notification;
import io.ployer.spi.notify.Notifier;
import io.ployer.spi.notify.NotifierFactory;
import io.ployer.spi.storage.PendingNotification;
import io.ployer.spi.storage.Storage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notification channels, and the delivery of engine events to them. Events arrive on the event
 * bus's own thread for this subscriber, so the engine never waits for a notifier; each channel's
 * attempts then run on a small scheduler of their own, retried with exponential backoff, and every
 * attempt is recorded. Channel secrets are stored encrypted, registered with the redactor, and
 * never returned.
 */
public final class DefaultNotificationService implements NotificationService, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultNotificationService.class);
    private static final int MAX_ERROR_LENGTH = 500;

    private final Storage storage;
    private final SecretCipher cipher;
    private final SecretRedactor redactor;
    private final Clock clock;
    private final Map<String, NotifierFactory> factories;
    private final PluginContext context;
    /** Checks a channel before it is stored. */
    private final ChannelRules rules;
    private final NotificationSettings settings;
    private final NotificationMessages messages;
    private final ChannelScope scope;
    private final PendingRetries pending;
    private final ThreadFactory threadFactory;
    private final Map<String, CachedNotifier> notifiers = new ConcurrentHashMap<>();
    /** Runs attempts; on close it gets {@link #CLOSE_GRACE} to finish those already handed to it. */
    private volatile java.util.concurrent.ExecutorService attempts;
    /** Holds retries until their time, then hands them to {@link #attempts}; dropped on close. */
    private volatile ScheduledExecutorService scheduler;
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(10);
    private volatile EventSubscription subscription;

    private record CachedNotifier(Instant version, Notifier notifier) {
    }

    public DefaultNotificationService(Storage storage, SecretCipher cipher, SecretRedactor redactor, Clock clock,
                                      Map<String, NotifierFactory> factories, PluginContext context,
                                      NotificationSettings settings, ThreadFactory threadFactory) {
        this.storage = storage;
        this.cipher = cipher;
        this.redactor = redactor;
        this.clock = clock;
        this.factories = new TreeMap<>(factories);
        this.context = context;
        this.rules = new ChannelRules(this.factories, context, redactor);
        this.settings = settings;
        this.threadFactory = threadFactory;
        this.messages = new NotificationMessages(storage, redactor::redact, settings.dashboardUrl());
        this.scope = new ChannelScope(storage);
        this.pending = new PendingRetries(storage);
    }

    /** Registers channel secrets with the redactor and, when enabled, subscribes to {@code events}. */
    public void start(EventService events) {
        attempts = Executors.newFixedThreadPool(2, threadFactory);
        scheduler = Executors.newSingleThreadScheduledExecutor(threadFactory);
        for (NotificationChannel channel : storage.notifications().listChannels()) {
            registerSecrets(channel);
        }
        if (settings.enabled()) {
            subscription = events.subscribe(ChannelScope::worthNotifying, this::onEvent);
        }
    }

    /**
     * Schedules the retries that were waiting when the last engine stopped, each at its time (or now,
     * when that has passed). Only the engine that owns the data directory calls it: a maintenance
     * engine (a CLI backup) beside a running server must not send them a second time.
     */
    public void resumePending() {
        if (!settings.enabled()) {
            return;
        }
        for (PendingNotification pending : storage.notifications().listPending()) {
            Duration wait = Duration.between(clock.instant(), pending.dueAt());
            schedule(pending.channelId(), pending.notification(), pending.nextAttempt(), wait.isNegative() ? Duration.ZERO : wait);
        }
    }

    /**
     * Notifies the channels that want {@code event}. The event bus calls it on its own thread; a
     * component whose events must not wait in the bus's queue (a backup in a short-lived process)
     * may call it directly: it reads storage and hands attempts over, and never throws.
     */
    public void onEvent(PloyerEvent event) {
        if (!settings.enabled()) {
            return;
        }
        try {
            dispatch(event);
        } catch (RuntimeException e) {
            LOG.warn("notifications for {} could not be dispatched: {}", event.getClass().getSimpleName(),
                    redactor.redact(e.toString()));
        }
    }

    private void dispatch(PloyerEvent event) {
        Optional<Notification> notification = messages.of(event);
        if (notification.isEmpty()) {
            return;
        }
        Optional<String> project = scope.projectOf(event);
        for (NotificationChannel channel : storage.notifications().listChannels()) {
            if (channel.wants(notification.get().event()) && ChannelScope.reaches(channel, project)) {
                schedule(channel.id(), notification.get(), 1, Duration.ZERO);
            }
        }
    }

    private void schedule(String channelId, Notification notification, int attempt, Duration delay) {
        try {
            if (delay.isZero()) {
                attempts.execute(() -> attempt(channelId, notification, attempt));
            } else {
                scheduler.schedule(() -> schedule(channelId, notification, attempt, Duration.ZERO), delay.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        } catch (RejectedExecutionException | NullPointerException e) {
            LOG.info("notification {} to channel {} dropped: the engine is closing", notification.id(), channelId);
        }
    }

    private void attempt(String channelId, Notification notification, int attempt) {
        try {
            Optional<NotificationChannel> channel = storage.notifications().findChannel(channelId);
            if (channel.isEmpty() || !channel.get().enabled()) {
                pending.forget(notification.id(), channelId);
                return; // deleted or turned off since: nothing left to deliver to
            }
            NotificationDelivery delivery = deliver(channel.get(), notification, attempt, attempt < settings.maxAttempts());
            if (delivery.status() == NotificationDelivery.Status.RETRYING) {
                // kept in storage: a restart before the retry's time schedules it again
                pending.keep(new PendingNotification(notification, channelId, attempt + 1, delivery.nextAttemptAt()));
                schedule(channelId, notification, attempt + 1, settings.backoffAfter(attempt));
            } else if (attempt > 1) {
                pending.forget(notification.id(), channelId);
            }
        } catch (RuntimeException e) {
            LOG.warn("notification {} to channel {} could not be attempted: {}", notification.id(), channelId,
                    redactor.redact(e.toString()));
        }
    }

    /** Deletes delivery attempts older than {@code retention} ({@code notifications.retention-days}); returns how many. */
    public int pruneDeliveries(Duration retention) {
        return pending.pruneDeliveriesBefore(clock.instant().minus(retention));
    }

    /** One attempt, recorded; a failure is RETRYING when {@code mayRetry}, FAILED otherwise. */
    private NotificationDelivery deliver(NotificationChannel channel, Notification notification, int attempt, boolean mayRetry) {
        NotificationDelivery.Status status;
        String error = null;
        Instant next = null;
        Instant at = clock.instant();
        try {
            notifierFor(channel).send(notification);
            status = NotificationDelivery.Status.DELIVERED;
        } catch (RuntimeException e) {
            error = describe(e);
            if (mayRetry) {
                status = NotificationDelivery.Status.RETRYING;
                next = clock.instant().plus(settings.backoffAfter(attempt));
            } else {
                status = NotificationDelivery.Status.FAILED;
            }
            LOG.info("notification {} to channel '{}' failed (attempt {}): {}", notification.id(), channel.name(), attempt, error);
        }
        NotificationDelivery delivery = new NotificationDelivery(UUID.randomUUID().toString(), notification.id(), channel.id(),
                notification.event(), notification.title(), attempt, status, error, next, at);
        storage.inTransaction(tx -> {
            tx.notifications().insertDelivery(delivery);
            return null;
        });
        return delivery;
    }

    private String describe(RuntimeException e) {
        String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        String redacted = redactor.redact(message);
        return redacted.length() > MAX_ERROR_LENGTH ? redacted.substring(0, MAX_ERROR_LENGTH) + "…" : redacted;
    }

    private Notifier notifierFor(NotificationChannel channel) {
        CachedNotifier cached = notifiers.get(channel.id());
        if (cached != null && cached.version().equals(channel.updatedAt())) {
            return cached.notifier();
        }
        NotifierFactory factory = factories.get(channel.type());
        if (factory == null) {
            throw new PloyerException(StandardErrorCode.CONFIGURATION, "no notifier named '" + channel.type()
                    + "' is installed");
        }
        Notifier notifier = factory.create(plainConfig(channel), context);
        notifiers.put(channel.id(), new CachedNotifier(channel.updatedAt(), notifier));
        return notifier;
    }

    /** The channel's configuration with its secrets decrypted, for the notifier only. */
    private Map<String, String> plainConfig(NotificationChannel stored) {
        Map<String, String> plain = new HashMap<>();
        stored.config().forEach((key, value) -> plain.put(key, stored.secretKeys().contains(key)
                ? cipher.decrypt(stored.id(), secretField(key), value) : value));
        return plain;
    }

    /** The field name a channel's secret setting is encrypted under (bound to the channel id as owner). */
    public static String secretField(String key) {
        return "notification." + key;
    }

    private void registerSecrets(NotificationChannel stored) {
        List<String> secrets = new ArrayList<>();
        for (String key : stored.secretKeys()) {
            String value = stored.config().get(key);
            if (value != null) {
                secrets.add(cipher.decrypt(stored.id(), secretField(key), value));
            }
        }
        redactor.forget(owner(stored.id()));
        if (!secrets.isEmpty()) {
            redactor.register(owner(stored.id()), secrets);
        }
    }

    private static String owner(String channelId) {
        return "notification:" + channelId;
    }

    @Override
    public List<NotificationChannel> listChannels() {
        return storage.notifications().listChannels().stream().map(ChannelRules::shown).toList();
    }

    @Override
    public Optional<NotificationChannel> findChannel(String id) {
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        return storage.notifications().findChannel(id).map(ChannelRules::shown);
    }

    @Override
    public NotificationChannel createChannel(ChannelSpec spec) {
        NotifierFactory factory = rules.validate(spec);
        scope.checkProject(spec.projectId());
        Instant now = clock.instant();
        String id = UUID.randomUUID().toString();
        NotificationChannel stored = encrypted(id, spec, factory, rules.validConfig(factory, spec.config()), now, now);
        storage.inTransaction(tx -> {
            tx.notifications().insertChannel(stored);
            return null;
        });
        registerSecrets(stored);
        return ChannelRules.shown(stored);
    }

    @Override
    public NotificationChannel updateChannel(String id, ChannelSpec spec) {
        NotificationChannel existing = storage.notifications().findChannel(id)
                .orElseThrow(() -> PloyerException.notFound("notification channel", id));
        NotifierFactory factory = rules.validate(spec);
        scope.checkProject(spec.projectId());
        Map<String, String> config = new HashMap<>(spec.config());
        if (existing.type().equals(spec.type())) {
            // Secrets the client left out keep their stored values.
            Map<String, String> plain = plainConfig(existing);
            for (String key : factory.secretConfigKeys()) {
                if (!config.containsKey(key) && plain.containsKey(key)) {
                    config.put(key, plain.get(key));
                }
            }
        }
        Instant now = clock.instant();
        Instant updatedAt = now.isAfter(existing.updatedAt()) ? now : existing.updatedAt().plusMillis(1);
        NotificationChannel stored = encrypted(id, spec, factory, rules.validConfig(factory, config), existing.createdAt(), updatedAt);
        storage.inTransaction(tx -> {
            tx.notifications().updateChannel(stored);
            return null;
        });
        notifiers.remove(id);
        registerSecrets(stored);
        return ChannelRules.shown(stored);
    }

    @Override
    public void deleteChannel(String id) {
        boolean deleted = id != null && storage.inTransaction(tx -> tx.notifications().deleteChannel(id));
        if (!deleted) {
            throw PloyerException.notFound("notification channel", id);
        }
        notifiers.remove(id);
        redactor.forget(owner(id));
    }

    @Override
    public NotificationDelivery test(String id) {
        NotificationChannel channel = (id == null ? Optional.<NotificationChannel>empty()
                : storage.notifications().findChannel(id)).orElseThrow(() -> PloyerException.notFound("notification channel", id));
        return deliver(channel, messages.test(channel.name(), clock.instant()), 1, false);
    }

    @Override
    public List<NotificationDelivery> deliveries(String channelId, int limit) {
        if (limit < 1 || limit > 500) {
            throw PloyerException.invalid("limit", "must be within 1..500");
        }
        if (channelId != null && storage.notifications().findChannel(channelId).isEmpty()) {
            throw PloyerException.notFound("notification channel", channelId);
        }
        return storage.notifications().listDeliveries(channelId, limit);
    }

    @Override
    public List<String> types() {
        return List.copyOf(factories.keySet());
    }

    private NotificationChannel encrypted(String id, ChannelSpec spec, NotifierFactory factory, Map<String, String> config,
                                          Instant createdAt, Instant updatedAt) {
        Set<String> secretKeys = factory.secretConfigKeys();
        Map<String, String> stored = new HashMap<>();
        config.forEach((key, value) -> stored.put(key, secretKeys.contains(key) ? cipher.encrypt(id, secretField(key), value) : value));
        Set<String> presentSecrets = new java.util.HashSet<>(secretKeys);
        presentSecrets.retainAll(stored.keySet());
        return new NotificationChannel(id, spec.name().strip(), spec.type(), spec.projectId(), spec.events(), stored, presentSecrets,
                spec.enabled() == null || spec.enabled(), createdAt, updatedAt);
    }

    @Override
    public void close() {
        EventSubscription current = subscription;
        if (current != null) {
            current.close();
        }
        ScheduledExecutorService retries = scheduler;
        if (retries != null) {
            retries.shutdownNow();
        }
        java.util.concurrent.ExecutorService running = attempts;
        if (running != null) {
            running.shutdown();
            try {
                if (!running.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("notification attempts still running after {}; abandoned", CLOSE_GRACE);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.shutdownNow();
        }
    }
}
