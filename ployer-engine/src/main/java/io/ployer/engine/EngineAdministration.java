package io.ployer.engine;

import io.ployer.api.Administration;
import io.ployer.api.PloyerException;
import io.ployer.api.application.DeployKey;
import io.ployer.api.application.EnvVar;
import io.ployer.api.server.Server;
import io.ployer.api.webhook.Webhook;
import io.ployer.engine.application.SecretFields;
import io.ployer.engine.plugin.PluginRegistry;
import io.ployer.engine.plugin.PluginRegistry.Candidate;
import io.ployer.engine.secret.KeyCheck;
import io.ployer.engine.secret.SecretCipher;
import io.ployer.spi.storage.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/** Key rotation, backup and plugin diagnostics. */
final class EngineAdministration implements Administration {
    private final Storage storage;
    private final SecretBootstrap.Secrets secrets;
    private final PluginRegistry registry;
    private final Function<Candidate<?>, Boolean> active;

    EngineAdministration(Storage storage, SecretBootstrap.Secrets secrets, PluginRegistry registry,
                         Function<Candidate<?>, Boolean> active) {
        this.storage = storage;
        this.secrets = secrets;
        this.registry = registry;
        this.active = active;
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
        storage.backup(target);
    }

    @Override
    public List<PluginDescription> plugins() {
        return registry.describe(active);
    }
}
