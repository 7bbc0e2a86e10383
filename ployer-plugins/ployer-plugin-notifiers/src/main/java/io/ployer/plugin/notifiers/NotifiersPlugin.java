package io.ployer.plugin.notifiers;

import io.ployer.plugin.notifiers.internal.DiscordNotifier;
import io.ployer.plugin.notifiers.internal.EmailNotifier;
import io.ployer.plugin.notifiers.internal.SlackNotifier;
import io.ployer.plugin.notifiers.internal.TeamsNotifier;
import io.ployer.plugin.notifiers.internal.TelegramNotifier;
import io.ployer.plugin.notifiers.internal.WebhookNotifier;
import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.plugin.PluginConfig;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.notify.Notifier;
import io.ployer.spi.notify.NotifierFactory;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The bundled notifiers: {@code webhook} (JSON, HMAC-SHA256 signed), {@code slack}, {@code discord},
 * {@code telegram}, {@code teams} (Microsoft Teams and Mattermost incoming webhooks) and {@code email} (SMTP).
 */
public final class NotifiersPlugin implements PloyerPlugin {

    @Override
    public List<NotifierFactory> notifierFactories() {
        return List.of(
                factory("webhook", Set.of("url", "secret", "timeout"), Set.of("url", "secret"), WebhookNotifier::of),
                factory("slack", Set.of("url", "timeout"), Set.of("url"), SlackNotifier::of),
                factory("discord", Set.of("url", "timeout"), Set.of("url"), DiscordNotifier::of),
                factory("telegram", Set.of("token", "chat-id", "base-url", "timeout"), Set.of("token"), TelegramNotifier::of),
                factory("teams", Set.of("url", "format", "timeout"), Set.of("url"), TeamsNotifier::of),
                factory("email", EmailNotifier.KEYS, Set.of("password"), EmailNotifier::of));
    }

    private static NotifierFactory factory(String name, Set<String> keys, Set<String> secretKeys,
                                           BiFunction<PluginConfig, PluginContext, Notifier> make) {
        return new NotifierFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Set<String> configKeys() {
                return keys;
            }

            @Override
            public Set<String> secretConfigKeys() {
                return secretKeys;
            }

            @Override
            public Notifier create(Map<String, String> config, PluginContext context) {
                PluginConfig reader = new PluginConfig("notifier " + name, config, keys);
                Notifier notifier = make.apply(reader, context);
                reader.validate();
                return notifier;
            }
        };
    }
}
