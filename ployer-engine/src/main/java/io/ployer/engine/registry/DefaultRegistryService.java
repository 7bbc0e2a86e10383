package io.ployer.engine.registry;

import io.ployer.api.PloyerException;
import io.ployer.api.registry.PushTarget;
import io.ployer.api.registry.Registry;
import io.ployer.api.registry.RegistryService;
import io.ployer.api.registry.RegistrySpec;
import io.ployer.engine.secret.SecretCipher;
import io.ployer.engine.secret.SecretRedactor;
import io.ployer.spi.runtime.RegistryAuth;
import io.ployer.spi.storage.RegistryStore.StoredRegistry;
import io.ployer.spi.storage.Storage;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Image registries with credentials. The password is encrypted with the engine's key (bound to the
 * registry's id), registered with the redactor so it never reaches a log, and never returned.
 */
public final class DefaultRegistryService implements RegistryService {
    /** The associated-data field the password is encrypted under. */
    public static final String PASSWORD_FIELD = "registry_password";
    /** The registry image references name when they name none. */
    public static final String DOCKER_HUB = "docker.io";
    private static final Pattern HOST = Pattern.compile(
            "(localhost|[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*|\\[[0-9a-f:]+\\])(:[0-9]{1,5})?");
    private static final String REDACTOR_OWNER = "registry:";
    private static final Pattern REPOSITORY = Pattern.compile("[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*");

    private final Storage storage;
    private final SecretCipher cipher;
    private final SecretRedactor redactor;
    private final Clock clock;

    public DefaultRegistryService(Storage storage, SecretCipher cipher, SecretRedactor redactor, Clock clock) {
        this.storage = storage;
        this.cipher = cipher;
        this.redactor = redactor;
        this.clock = clock;
    }

    /** Registers every stored password with the redactor (at start). */
    public void registerSecrets() {
        for (StoredRegistry registry : storedOrNone(storage)) {
            if (registry.password() != null) {
                redactor.register(REDACTOR_OWNER + registry.id(), List.of(cipher.decrypt(registry.id(), PASSWORD_FIELD, registry.password())));
            }
        }
    }

    @Override
    public List<Registry> list() {
        return storage.registries().list().stream().map(DefaultRegistryService::view).toList();
    }

    @Override
    public Registry get(String registryId) {
        return view(stored(registryId));
    }

    private StoredRegistry stored(String registryId) {
        if (registryId == null) {
            throw PloyerException.notFound("registry", "null");
        }
        return storage.registries().findById(registryId).orElseThrow(() -> PloyerException.notFound("registry", registryId));
    }

    @Override
    public Registry create(RegistrySpec spec) {
        if (spec == null) {
            throw PloyerException.invalid("body", "is required");
        }
        String url = normalizeUrl(spec.url());
        String username = checkUsername(spec.username());
        String password = checkPassword(spec.password());
        if (password != null && username == null) {
            throw PloyerException.invalid("username", "is required when a password is given");
        }
        String id = UUID.randomUUID().toString();
        Instant now = clock.instant();
        StoredRegistry registry = new StoredRegistry(id, url, username,
                password == null ? null : cipher.encrypt(id, PASSWORD_FIELD, password), now, now);
        storage.inTransaction(tx -> {
            if (tx.registries().findByUrl(url).isPresent()) {
                throw PloyerException.conflict("url", "A registry for " + url + " exists already; change that one instead.");
            }
            tx.registries().insert(registry);
            return null;
        });
        if (password != null) {
            redactor.register(REDACTOR_OWNER + id, List.of(password));
        }
        return view(registry);
    }

    @Override
    public Registry update(String registryId, RegistrySpec changes) {
        if (changes == null) {
            throw PloyerException.invalid("body", "is required");
        }
        StoredRegistry current = stored(registryId);
        String url = changes.url() == null ? current.url() : normalizeUrl(changes.url());
        String username = changes.username() == null ? current.username() : checkUsername(changes.username());
        String password = changes.password() == null ? null : checkPassword(changes.password());
        String storedPassword = changes.password() == null ? current.password()
                : password == null ? null : cipher.encrypt(registryId, PASSWORD_FIELD, password);
        if (storedPassword != null && username == null) {
            throw PloyerException.invalid("username", "is required when a password is set");
        }
        StoredRegistry updated = new StoredRegistry(registryId, url, username, storedPassword, current.createdAt(), clock.instant());
        storage.inTransaction(tx -> {
            Optional<StoredRegistry> same = tx.registries().findByUrl(url);
            if (same.isPresent() && !same.get().id().equals(registryId)) {
                throw PloyerException.conflict("url", "A registry for " + url + " exists already.");
            }
            tx.registries().update(updated);
            return null;
        });
        if (password != null) {
            redactor.register(REDACTOR_OWNER + registryId, List.of(password));
        }
        return view(updated);
    }

    @Override
    public void delete(String registryId) {
        stored(registryId);
        storage.inTransaction(tx -> {
            List<String> pushing = tx.registries().applicationsPushingTo(registryId);
            if (!pushing.isEmpty()) {
                throw PloyerException.conflict("id", "The registry is the push target of " + pushing.size()
                        + " application(s) (" + String.join(", ", pushing) + "); clear their push target first.");
            }
            return tx.registries().delete(registryId);
        });
        redactor.forget(REDACTOR_OWNER + registryId);
    }

    @Override
    public Optional<PushTarget> pushTarget(String applicationId) {
        requireApplication(applicationId);
        return storage.registries().findPushTarget(applicationId);
    }

    @Override
    public PushTarget setPushTarget(String applicationId, String registryId, String repository) {
        requireApplication(applicationId);
        if (registryId == null || registryId.isBlank()) {
            throw PloyerException.invalid("registry_id", "is required: the id of a registry (GET /registries)");
        }
        if (storage.registries().findById(registryId).isEmpty()) {
            throw PloyerException.invalid("registry_id", "names no registry");
        }
        if (repository == null || repository.length() > 200 || !REPOSITORY.matcher(repository).matches()) {
            throw PloyerException.invalid("repository", "must be a repository path such as team/app (lower case letters, digits,"
                    + " '.', '_', '-' and '/')");
        }
        PushTarget target = new PushTarget(applicationId, registryId, repository);
        storage.inTransaction(tx -> {
            tx.registries().putPushTarget(target);
            return null;
        });
        return target;
    }

    @Override
    public void clearPushTarget(String applicationId) {
        requireApplication(applicationId);
        if (!storage.inTransaction(tx -> tx.registries().deletePushTarget(applicationId))) {
            throw PloyerException.notFound("push target of application", applicationId);
        }
    }

    private void requireApplication(String applicationId) {
        if (applicationId == null || storage.applications().findById(applicationId).isEmpty()) {
            throw PloyerException.notFound("application", String.valueOf(applicationId));
        }
    }

    /** The push target of an application and the credentials for it; empty when it pushes nowhere. */
    Optional<PushTarget> pushTargetOrNone(String applicationId) {
        try {
            return storage.registries().findPushTarget(applicationId);
        } catch (UnsupportedOperationException noRegistries) {
            return Optional.empty();
        }
    }

    /** The url of a registry. */
    String url(String registryId) {
        return stored(registryId).url();
    }

    /** The credentials of the registry an image reference names, if one is configured. */
    Optional<RegistryAuth> authFor(String imageRef) {
        String host = registryOf(imageRef);
        try {
            return storage.registries().findByUrl(host).map(this::auth);
        } catch (UnsupportedOperationException noRegistries) {
            return Optional.empty();
        }
    }

    /** The credentials of one registry. */
    RegistryAuth auth(String registryId) {
        return auth(stored(registryId));
    }

    private RegistryAuth auth(StoredRegistry registry) {
        return new RegistryAuth(registry.url(), registry.username(),
                registry.password() == null ? null : cipher.decrypt(registry.id(), PASSWORD_FIELD, registry.password()));
    }

    /** Re-encrypts every password under the current key; returns how many were rewritten. */
    public static int reencrypt(Storage tx, SecretCipher cipher) {
        int rewritten = 0;
        for (StoredRegistry registry : storedOrNone(tx)) {
            if (registry.password() != null && cipher.needsReencryption(registry.password())) {
                tx.registries().update(new StoredRegistry(registry.id(), registry.url(), registry.username(),
                        cipher.reencrypt(registry.id(), PASSWORD_FIELD, registry.password()), registry.createdAt(), registry.updatedAt()));
                rewritten++;
            }
        }
        return rewritten;
    }

    /** Every stored registry; none when the storage plugin keeps no registries. */
    public static List<StoredRegistry> storedOrNone(Storage storage) {
        try {
            return storage.registries().list();
        } catch (UnsupportedOperationException noRegistries) {
            return List.of();
        }
    }

    /** The registry host (and port) of an image reference; {@code docker.io} when it names none. */
    public static String registryOf(String imageRef) {
        int slash = imageRef.indexOf('/');
        if (slash > 0) {
            String first = imageRef.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                return first.equals("index.docker.io") || first.equals("registry-1.docker.io") ? DOCKER_HUB : first;
            }
        }
        return DOCKER_HUB;
    }

    /** {@code https://Registry.Example.com/v2/} → {@code registry.example.com}. */
    static String normalizeUrl(String raw) {
        if (raw == null || raw.isBlank()) {
            throw PloyerException.invalid("url", "is required: the registry's host and optional port, such as registry.example.com:5000");
        }
        String url = raw.strip().toLowerCase(Locale.ROOT);
        if (url.startsWith("https://")) {
            url = url.substring("https://".length());
        } else if (url.startsWith("http://")) {
            url = url.substring("http://".length());
        }
        int slash = url.indexOf('/');
        if (slash >= 0) {
            url = url.substring(0, slash);
        }
        if (url.equals("index.docker.io") || url.equals("registry-1.docker.io")) {
            url = DOCKER_HUB;
        }
        if (url.length() > 255 || !HOST.matcher(url).matches()) {
            throw PloyerException.invalid("url", "must be a registry host with an optional port, such as registry.example.com:5000");
        }
        return url;
    }

    private static String checkUsername(String username) {
        if (username == null || username.isEmpty()) {
            return null;
        }
        if (username.length() > 255 || username.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw PloyerException.invalid("username", "must be at most 255 characters without spaces or control characters");
        }
        return username;
    }

    private static String checkPassword(String password) {
        if (password == null || password.isEmpty()) {
            return null;
        }
        if (password.length() > 4096 || password.chars().anyMatch(Character::isISOControl)) {
            throw PloyerException.invalid("password", "must be at most 4096 characters without control characters");
        }
        return password;
    }

    private static Registry view(StoredRegistry registry) {
        return new Registry(registry.id(), registry.url(), registry.username(), registry.password() != null,
                registry.createdAt(), registry.updatedAt());
    }
}
