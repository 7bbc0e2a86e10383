package io.ployer.engine.notify;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.notification.ChannelSpec;
import io.ployer.api.notification.NotificationChannel;
import io.ployer.api.notification.NotificationEvent;
import io.ployer.engine.secret.SecretRedactor;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.notify.NotifierFactory;
import java.util.HashMap;
import java.util.Map;

/** What a notification channel must be before {@link DefaultNotificationService} stores it: a 400 naming the field otherwise. */
final class ChannelRules {
    /** What a client sees: the secret values left out, their keys listed. */
    static NotificationChannel shown(NotificationChannel stored) {
        Map<String, String> visible = new HashMap<>(stored.config());
        visible.keySet().removeAll(stored.secretKeys());
        return new NotificationChannel(stored.id(), stored.name(), stored.type(), stored.projectId(), stored.events(), visible,
                stored.secretKeys(), stored.enabled(), stored.createdAt(), stored.updatedAt());
    }

    private static final int MAX_NAME_LENGTH = 100;

    private final Map<String, NotifierFactory> factories;
    private final PluginContext context;
    private final SecretRedactor redactor;

    ChannelRules(Map<String, NotifierFactory> factories, PluginContext context, SecretRedactor redactor) {
        this.factories = factories;
        this.context = context;
        this.redactor = redactor;
    }

    NotifierFactory validate(ChannelSpec spec) {
        if (spec == null) {
            throw PloyerException.invalid("body", "is required");
        }
        if (spec.name() == null || spec.name().isBlank()) {
            throw PloyerException.invalid("name", "is required");
        }
        if (spec.name().length() > MAX_NAME_LENGTH || spec.name().chars().anyMatch(Character::isISOControl)) {
            throw PloyerException.invalid("name", "must be at most " + MAX_NAME_LENGTH + " characters without control characters");
        }
        if (spec.type() == null || spec.type().isBlank()) {
            throw PloyerException.invalid("type", "is required (one of: " + String.join(", ", factories.keySet()) + ")");
        }
        NotifierFactory factory = factories.get(spec.type());
        if (factory == null) {
            throw PloyerException.invalid("type", "must be one of: " + (factories.isEmpty() ? "(no notifier installed)"
                    : String.join(", ", factories.keySet())));
        }
        if (spec.events().isEmpty()) {
            throw PloyerException.invalid("events", "must name at least one event");
        }
        if (spec.events().contains(NotificationEvent.TEST)) {
            throw PloyerException.invalid("events", "TEST is not an event to subscribe to; use the test endpoint");
        }
        return factory;
    }

    /** The configuration as the notifier accepts it; its problems become one 400 on {@code config}. */
    Map<String, String> validConfig(NotifierFactory factory, Map<String, String> config) {
        for (Map.Entry<String, String> entry : config.entrySet()) {
            if (entry.getKey() == null || entry.getValue() == null) {
                throw PloyerException.invalid("config", "keys and values must be strings");
            }
        }
        try {
            factory.create(config, context);
        } catch (PloyerException e) {
            throw new PloyerException(StandardErrorCode.INVALID_ARGUMENT, "config", redactor.redact(e.getMessage()), null);
        } catch (RuntimeException e) {
            throw new PloyerException(StandardErrorCode.INVALID_ARGUMENT, "config",
                    "config: the notifier rejected it (" + e.getClass().getSimpleName() + ")", null);
        }
        return config;
    }
}
