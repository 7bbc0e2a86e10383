package io.ployer.spi.storage;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * Where Ployer keeps every aggregate. Storage holds what the engine hands it: secret fields arrive
 * already encrypted ({@code ENC:v1:…}) and are returned as stored. Stores throw
 * {@link io.ployer.api.PloyerException} with code STORAGE_FAILURE on I/O errors and CONFLICT
 * (naming the field) when a unique rule is broken.
 */
public interface Storage extends AutoCloseable {

    /** Opens the database and applies pending migrations. */
    void start();

    ApplicationStore applications();

    EnvVarStore envVars();

    DomainStore domains();

    DeployKeyStore deployKeys();

    DeploymentStore deployments();

    HealthCheckStore healthChecks();

    HealthCheckResultStore healthCheckResults();

    ContainerStatsStore containerStats();

    WebhookStore webhooks();

    WebhookDeliveryStore webhookDeliveries();

    ServerStore servers();

    UserStore users();

    ApiKeyStore apiKeys();

    SessionStore sessions();

    SettingStore settings();

    /**
     * Https tokens of applications. A default so storages written before it still load; they
     * cannot keep tokens until they implement it.
     */
    default GitCredentialStore gitCredentials() {
        throw new UnsupportedOperationException("this storage plugin does not keep git tokens");
    }

    /**
     * Users' TOTP second factors and recovery codes. A default so storages written before it still
     * load; they cannot keep second factors until they implement it.
     */
    default TotpStore totp() {
        throw new UnsupportedOperationException("this storage plugin does not keep second factors");
    }

    /**
     * Volumes of applications. A default so storages written before it still load; applications
     * on them have no volumes.
     */
    /** Databases, backup destinations, backups and links. A default so storage plugins written before it still load. */
    default DatabaseStore databases() {
        throw new UnsupportedOperationException("this storage plugin does not keep databases");
    }

    default VolumeStore volumes() {
        throw new UnsupportedOperationException("this storage plugin does not keep volumes");
    }

    /** Configuration files of applications (content encrypted). */
    default ConfigFileStore configFiles() {
        throw new UnsupportedOperationException("this storage plugin does not keep configuration files");
    }

    /** Image registries and their (encrypted) credentials. */
    default RegistryStore registries() {
        throw new UnsupportedOperationException("this storage plugin does not keep registries");
    }

    /**
     * Notification channels and delivery attempts. A default so storages written before it still
     * load; they cannot keep channels until they implement it.
     */
    default NotificationStore notifications() {
        throw new UnsupportedOperationException("this storage plugin does not keep notification channels");
    }

    /**
     * Projects, members and invitations. A default so storages written before it still load; the
     * engine then knows only the {@code default} project and instance roles.
     */
    default ProjectStore projects() {
        throw new UnsupportedOperationException("this storage plugin does not keep projects");
    }

    /** Preview deployments with their settings and env values. A default so storages written before it still load. */
    default PreviewStore previews() {
        throw new UnsupportedOperationException("this storage plugin does not keep previews");
    }

    /** The audit log. A default so storages written before it still load; they keep no audit log. */
    default AuditStore audit() {
        throw new UnsupportedOperationException("this storage plugin does not keep an audit log");
    }

    /**
     * Runs {@code work} in one write transaction: every store call it makes through the
     * {@code Storage} it receives commits together, or not at all when it throws. Transactions
     * are serialised (one writer at a time); nested calls join the outer transaction.
     */
    <T> T inTransaction(Function<Storage, T> work);

    /**
     * A number that grows whenever this storage instance commits a write (and never otherwise
     * decreases): two reads that see the same number see the same stored state, as far as this
     * instance's own writes go. Callers use it to keep derived data (such as cached responses)
     * only while nothing changed. Empty (the default) when the plugin does not count, and then
     * nothing may be cached on it.
     */
    default java.util.OptionalLong changeCount() {
        return java.util.OptionalLong.empty();
    }

    /**
     * Like {@link #changeCount()}, for one aggregate only: a number that grows whenever a committed
     * write may have changed what the aggregate's store returns, so that derived data (cached
     * responses) about one aggregate survives writes to others, such as health results written
     * every tick. Aggregates are named after their stores: {@code applications} (with their build
     * configuration), {@code env_vars}, {@code domains}, {@code deploy_keys}, {@code deployments},
     * {@code deployment_logs}, {@code health_checks}, {@code health_check_results},
     * {@code container_stats}, {@code webhooks}, {@code webhook_deliveries}, {@code servers},
     * {@code users}, {@code api_keys}, {@code sessions}, {@code settings}, {@code git_credentials}.
     * Deleting an application changes everything it owns. The default is {@link #changeCount()}
     * (every write counts for every aggregate), which is correct, only coarser.
     */
    default java.util.OptionalLong changeCount(String aggregate) {
        return changeCount();
    }

    /** Writes a consistent online copy of the database to {@code target}, which must not exist. */
    void backup(Path target);

    /** Closes connections. Idempotent. */
    @Override
    void close();
}
