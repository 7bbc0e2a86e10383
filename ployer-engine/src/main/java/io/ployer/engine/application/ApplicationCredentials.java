package io.ployer.engine.application;

import io.ployer.api.PloyerException;
import io.ployer.api.application.Application;
import io.ployer.api.application.DeployKey;
import io.ployer.api.application.KeyAlgorithm;
import io.ployer.engine.secret.SecretCipher;
import io.ployer.engine.secret.SecretRedactor;
import io.ployer.engine.source.DeployKeys;
import io.ployer.spi.storage.Storage;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** An application's https token and deploy key: checked, encrypted and stored; only public halves leave. */
final class ApplicationCredentials {
    private final Storage storage;
    private final SecretCipher cipher;
    private final SecretRedactor redactor;
    private final Clock clock;

    ApplicationCredentials(Storage storage, SecretCipher cipher, SecretRedactor redactor, Clock clock) {
        this.storage = storage;
        this.cipher = cipher;
        this.redactor = redactor;
        this.clock = clock;
    }

    void setGitToken(Application application, String token) {
        if (token == null || token.isBlank() || token.length() > 1024
                || token.chars().anyMatch(character -> Character.isWhitespace(character) || Character.isISOControl(character))) {
            throw PloyerException.invalid("token", "is required: at most 1024 characters without spaces or control characters");
        }
        String encrypted = cipher.encrypt(application.id(), SecretFields.GIT_TOKEN, token);
        storage.inTransaction(tx -> {
            tx.gitCredentials().put(application.id(), encrypted);
            return null;
        });
        redactor.register(application.id(), List.of(token));
    }

    void clearGitToken(Application application) {
        if (!storage.inTransaction(tx -> tx.gitCredentials().delete(application.id()))) {
            throw PloyerException.notFound("git token of application", application.id());
        }
    }

    DeployKey deployKey(Application application, Function<String, Application> applications) {
        Optional<DeployKey> existing = storage.deployKeys().find(application.id());
        if (existing.isPresent()) {
            return existing.get().publicOnly();
        }
        Optional<String> source = SharedSource.of(storage, application.id());
        if (source.isPresent()) { // one deploy key for every environment of the repository
            return deployKey(applications.apply(source.get()), applications);
        }
        return storeNewKey(application, KeyAlgorithm.ED25519);
    }

    DeployKey storeNewKey(Application application, KeyAlgorithm algorithm) {
        DeployKey generated = DeployKeys.generate(application.id(), "ployer-" + application.name(), algorithm, clock);
        DeployKey encrypted = generated.withPrivateKey(
                cipher.encrypt(application.id(), SecretFields.DEPLOY_KEY, generated.privateKey()));
        storage.inTransaction(tx -> {
            tx.deployKeys().upsert(encrypted);
            return null;
        });
        return generated.publicOnly();
    }
}
