package io.ployer.engine;

import io.ployer.api.Administration;
import io.ployer.api.PloyerException;
import io.ployer.api.application.DeployKey;
import io.ployer.api.application.EnvVar;
import io.ployer.api.server.Server;
import io.ployer.api.webhook.Webhook;
import io.ployer.engine.application.SecretFields;
import io.ployer.engine.backup.BackupArchive;
import io.ployer.engine.plugin.PluginRegistry;
import io.ployer.engine.plugin.PluginRegistry.Candidate;
import io.ployer.engine.secret.KeyCheck;
import io.ployer.engine.secret.SecretCipher;
import io.ployer.spi.storage.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import io.ployer.spi.proxy.ProxyStatus;
import io.ployer.spi.proxy.ReverseProxy;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.runtime.RuntimeInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Key rotation, backup and plugin diagnostics. */
final class EngineAdministration implements Administration {
    private final Storage storage;
    private final SecretBootstrap.Secrets secrets;
    private final PluginRegistry registry;
    private final Function<Candidate<?>, Boolean> active;
    private final Map<String, String> chosen;
    private final Optional<ContainerRuntime> runtime;
    private final Optional<ReverseProxy> proxy;
    private final String storageName;
    private final Optional<Path> keyFile;
    private final java.time.Clock clock;
    private final Optional<io.ployer.engine.deploy.Reconciler> reconciler;
    private final java.util.function.Consumer<io.ployer.api.event.PloyerEvent> events;

    /** The version recorded in backups when the jar does not say (a build from source). */
    static final String VERSION = "0.1.0-SNAPSHOT";

    EngineAdministration(Storage storage, SecretBootstrap.Secrets secrets, PluginRegistry registry,
                         Function<Candidate<?>, Boolean> active, Map<String, String> chosen,
                         Optional<ContainerRuntime> runtime, Optional<ReverseProxy> proxy, Optional<Path> keyFile,
                         java.time.Clock clock, Optional<io.ployer.engine.deploy.Reconciler> reconciler,
                         java.util.function.Consumer<io.ployer.api.event.PloyerEvent> events) {
        this.storage = storage;
        this.secrets = secrets;
        this.registry = registry;
        this.active = active;
        this.chosen = Map.copyOf(chosen);
        this.runtime = runtime;
        this.proxy = proxy;
        this.storageName = this.chosen.getOrDefault("storage", "unknown");
        this.keyFile = keyFile;
        this.clock = clock;
        this.reconciler = reconciler;
        this.events = events;
    }

    @Override
    public List<ComponentStatus> components() {
        List<ComponentStatus> result = new ArrayList<>();
        try {
            storage.settings().get(SecretBootstrap.KEY_CHECK_SETTING);
            result.add(new ComponentStatus("storage", chosen.get("storage"), true, "answers"));
        } catch (RuntimeException e) {
            result.add(new ComponentStatus("storage", chosen.get("storage"), false, String.valueOf(e.getMessage())));
        }
        result.add(runtime.map(containerRuntime -> {
            try {
                RuntimeInfo info = containerRuntime.ping();
                return new ComponentStatus("runtime", chosen.get("runtime"), true, info.name() + " " + info.version());
            } catch (RuntimeException e) {
                return new ComponentStatus("runtime", chosen.get("runtime"), false, String.valueOf(e.getMessage()));
            }
        }).orElse(new ComponentStatus("runtime", null, false, "no container runtime plugin configured")));
        result.add(proxy.map(reverseProxy -> {
            try {
                ProxyStatus status = reverseProxy.status();
                return new ComponentStatus("proxy", chosen.get("proxy"), status.reachable(), status.detail() + syncDetail(status));
            } catch (RuntimeException e) {
                return new ComponentStatus("proxy", chosen.get("proxy"), false, String.valueOf(e.getMessage()));
            }
        }).orElse(new ComponentStatus("proxy", null, false, "no reverse proxy configured")));
        return result;
    }

    /**
     * Tells "reachable but drifted or empty" from "in sync", from the reconciler's last pass (it
     * compares a fingerprint of Ployer's routes with one of the proxy's).
     */
    private String syncDetail(ProxyStatus status) {
        if (!status.reachable()) {
            return "";
        }
        return reconcileStatus().map(last -> switch (last.proxyState()) {
            case "in_sync" -> "; routes in sync (" + last.actualRoutes() + " route(s), fingerprint " + last.actualFingerprint() + ")";
            case "drifted" -> "; reachable but drifted: it has " + last.actualRoutes() + " of Ployer's " + last.expectedRoutes()
                    + " route(s) or different ones (fingerprint " + last.actualFingerprint() + ", expected "
                    + last.expectedFingerprint() + "); Ployer is repairing it";
            case "unreachable" -> "; its routes could not be read";
            default -> "";
        }).orElse("");
    }

    @Override
    public Optional<ReconcileStatus> reconcileStatus() {
        try {
            return reconciler.map(io.ployer.engine.deploy.Reconciler::inspect);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Channel secrets (webhook URLs, tokens, SMTP passwords) under the primary key; their channels are otherwise unchanged. */
    private static int reencryptNotificationChannels(Storage tx, SecretCipher cipher) {
        List<io.ployer.api.notification.NotificationChannel> channels;
        try {
            channels = tx.notifications().listChannels();
        } catch (UnsupportedOperationException noNotifications) {
            return 0;
        }
        int rewritten = 0;
        for (io.ployer.api.notification.NotificationChannel channel : channels) {
            Map<String, String> config = new java.util.HashMap<>(channel.config());
            int before = rewritten;
            for (String key : channel.secretKeys()) {
                String stored = config.get(key);
                if (stored != null && cipher.needsReencryption(stored)) {
                    config.put(key, cipher.reencrypt(channel.id(),
                            io.ployer.engine.notify.DefaultNotificationService.secretField(key), stored));
                    rewritten++;
                }
            }
            if (rewritten > before) {
                tx.notifications().updateChannel(new io.ployer.api.notification.NotificationChannel(channel.id(), channel.name(),
                        channel.type(), channel.projectId(), channel.events(), config, channel.secretKeys(), channel.enabled(),
                        channel.createdAt(), channel.updatedAt()));
            }
        }
        return rewritten;
    }

    @Override
    public int reencryptSecrets() {
        SecretCipher cipher = secrets.cipher();
        return storage.inTransaction(tx -> {
            int rewritten = 0;
            for (EnvVar envVar : tx.envVars().listAll()) {
                if (cipher.needsReencryption(envVar.value())) {
                    tx.envVars().upsert(envVar.withValue(cipher.reencrypt(envVar.applicationId(),
                            SecretFields.envVar(envVar.key()), envVar.value())));
                    rewritten++;
                }
            }
            for (DeployKey key : tx.deployKeys().listAll()) {
                if (key.privateKey() != null && cipher.needsReencryption(key.privateKey())) {
                    tx.deployKeys().upsert(key.withPrivateKey(cipher.reencrypt(key.applicationId(),
                            SecretFields.DEPLOY_KEY, key.privateKey())));
                    rewritten++;
                }
            }
            for (Webhook webhook : tx.webhooks().listAll()) {
                if (webhook.secret() != null && cipher.needsReencryption(webhook.secret())) {
                    tx.webhooks().upsert(webhook.withSecret(cipher.reencrypt(webhook.applicationId(),
                            SecretFields.WEBHOOK_SECRET, webhook.secret())));
                    rewritten++;
                }
            }
            for (Server server : tx.servers().list()) {
                if (server.sshPrivateKey() != null && cipher.needsReencryption(server.sshPrivateKey())) {
                    tx.servers().update(server.withSshPrivateKey(cipher.reencrypt(server.id(),
                            SecretFields.SSH_PRIVATE_KEY, server.sshPrivateKey())));
                    rewritten++;
                }
            }
            for (Map.Entry<String, String> token : tx.gitCredentials().listAll().entrySet()) {
                if (cipher.needsReencryption(token.getValue())) {
                    tx.gitCredentials().put(token.getKey(), cipher.reencrypt(token.getKey(), SecretFields.GIT_TOKEN, token.getValue()));
                    rewritten++;
                }
            }
            rewritten += reencryptNotificationChannels(tx, cipher);
            rewritten += io.ployer.engine.registry.DefaultRegistryService.reencrypt(tx, cipher);
            rewritten += io.ployer.engine.application.ApplicationFiles.reencrypt(tx, cipher);
            rewritten += io.ployer.engine.preview.DefaultPreviewService.reencrypt(tx, cipher);
            rewritten += io.ployer.engine.database.DatabaseSecrets.reencrypt(tx, cipher);
            Map<String, String> totpSecrets;
            try {
                totpSecrets = tx.totp().listSecrets();
            } catch (UnsupportedOperationException noSecondFactors) {
                totpSecrets = Map.of();
            }
            for (Map.Entry<String, String> secret : totpSecrets.entrySet()) {
                if (cipher.needsReencryption(secret.getValue())) {
                    tx.totp().replaceSecret(secret.getKey(), cipher.reencrypt(secret.getKey(),
                            io.ployer.engine.account.DefaultAccountService.TOTP_SECRET_FIELD, secret.getValue()));
                    rewritten++;
                }
            }
            tx.settings().put(SecretBootstrap.KEY_CHECK_SETTING, KeyCheck.create(cipher));
            return rewritten;
        });
    }

    @Override
    public void backup(Path target) {
        if (target == null) {
            throw PloyerException.invalid("target", "is required");
        }
        if (Files.exists(target)) {
            throw PloyerException.invalid("target", "must not exist: " + target);
        }
        reportBackup(target, () -> storage.backup(target));
    }

    /** Runs a backup and tells subscribers (notifications) how it went; a failure still propagates. */
    private void reportBackup(Path target, Runnable backup) {
        try {
            backup.run();
        } catch (RuntimeException e) {
            events.accept(new io.ployer.api.event.PloyerEvent.BackupFinished(target.toString(), false,
                    String.valueOf(e.getMessage()), clock.instant()));
            throw e;
        }
        events.accept(new io.ployer.api.event.PloyerEvent.BackupFinished(target.toString(), true, null, clock.instant()));
    }

    @Override
    public void backupArchive(Path archive) {
        String version = Optional.ofNullable(EngineAdministration.class.getPackage().getImplementationVersion()).orElse(VERSION);
        String keyCheck = storage.settings().get(SecretBootstrap.KEY_CHECK_SETTING).orElse("");
        reportBackup(archive, () -> BackupArchive.write(archive, new BackupArchive.Source(version, storageName, storage::backup,
                keyFile, secrets.keyRing().primaryKeyId(), keyCheck), clock.instant()));
    }

    @Override
    public List<PluginDescription> plugins() {
        return registry.describe(active);
    }

    @Override
    public List<PluginProblem> pluginProblems() {
        return registry.problems();
    }
}
