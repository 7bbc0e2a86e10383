package io.ployer.plugin.sqlite.internal;

import static io.ployer.plugin.sqlite.internal.Database.bool;
import static io.ployer.plugin.sqlite.internal.Database.instant;

import io.ployer.api.PloyerException;
import io.ployer.api.webhook.Webhook;
import io.ployer.api.webhook.WebhookDelivery;
import io.ployer.api.webhook.WebhookDeliveryStatus;
import io.ployer.spi.storage.WebhookDeliveryStore;
import io.ployer.spi.storage.WebhookStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Webhook configuration and deliveries. */
final class WebhookTables {
    private WebhookTables() {
    }

    static final class Webhooks implements WebhookStore {
        private static final String COLUMNS = "id, application_id, provider, secret, enabled, created_at";
        private final Database database;

        Webhooks(Database database) {
            this.database = database;
        }

        @Override
        public Optional<Webhook> findByApplication(String applicationId) {
            return database.queryOne("SELECT " + COLUMNS + " FROM webhooks WHERE application_id = ?", Webhooks::map, applicationId);
        }

        @Override
        public Optional<Webhook> findById(String id) {
            return database.queryOne("SELECT " + COLUMNS + " FROM webhooks WHERE id = ?", Webhooks::map, id);
        }

        @Override
        public void upsert(Webhook webhook) {
            database.update("INSERT INTO webhooks (" + COLUMNS + ") VALUES (?,?,?,?,?,?) ON CONFLICT (application_id) DO UPDATE SET "
                            + "id = excluded.id, provider = excluded.provider, secret = excluded.secret, enabled = excluded.enabled, "
                            + "created_at = excluded.created_at",
                    webhook.id(), webhook.applicationId(), webhook.provider(), webhook.secret(), webhook.enabled(),
                    webhook.createdAt());
        }

        @Override
        public boolean delete(String applicationId) {
            return database.update("DELETE FROM webhooks WHERE application_id = ?", applicationId) > 0;
        }

        @Override
        public List<Webhook> listAll() {
            return database.query("SELECT " + COLUMNS + " FROM webhooks ORDER BY application_id", Webhooks::map);
        }

        private static Webhook map(ResultSet row) throws SQLException {
            return new Webhook(row.getString("id"), row.getString("application_id"), row.getString("provider"),
                    row.getString("secret"), bool(row, "enabled"), instant(row, "created_at"));
        }
    }

    static final class Deliveries implements WebhookDeliveryStore {
        private static final String COLUMNS = "id, webhook_id, application_id, delivery_id, event, status, reason, branch, "
                + "commit_sha, author, message, deployment_id, received_at, repository";
        private final Database database;

        Deliveries(Database database) {
            this.database = database;
        }

        @Override
        public void insert(WebhookDelivery delivery) {
            database.update("INSERT INTO webhook_deliveries (" + COLUMNS + ", seq) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
                            + "(SELECT COALESCE(MAX(seq), 0) + 1 FROM webhook_deliveries))",
                    delivery.id(), delivery.webhookId(), delivery.applicationId(), delivery.deliveryId(), delivery.event(),
                    delivery.status(), delivery.reason(), delivery.branch(), delivery.commitSha(), delivery.author(),
                    delivery.message(), delivery.deploymentId(), delivery.receivedAt(), delivery.repository());
        }

        @Override
        public void update(WebhookDelivery delivery) {
            database.updateExisting("webhook delivery", delivery.id(), "UPDATE webhook_deliveries SET webhook_id = ?, application_id = ?, delivery_id = ?, "
                            + "event = ?, status = ?, reason = ?, branch = ?, commit_sha = ?, author = ?, message = ?, "
                            + "deployment_id = ?, received_at = ?, repository = ? WHERE id = ?",
                    delivery.webhookId(), delivery.applicationId(), delivery.deliveryId(), delivery.event(), delivery.status(),
                    delivery.reason(), delivery.branch(), delivery.commitSha(), delivery.author(), delivery.message(),
                    delivery.deploymentId(), delivery.receivedAt(), delivery.repository(), delivery.id());
        }

        @Override
        public Optional<WebhookDelivery> findByDeliveryId(String applicationId, String deliveryId) {
            return database.queryOne("SELECT " + COLUMNS + " FROM webhook_deliveries WHERE application_id = ? AND delivery_id = ? "
                    + "AND status <> 'FAILED' ORDER BY seq LIMIT 1", Deliveries::map, applicationId, deliveryId);
        }

        @Override
        public List<WebhookDelivery> listByApplication(String applicationId, int limit) {
            return database.query("SELECT " + COLUMNS + " FROM webhook_deliveries WHERE application_id = ? "
                    + "ORDER BY received_at DESC, seq DESC LIMIT ?", Deliveries::map, applicationId, limit);
        }

        private static WebhookDelivery map(ResultSet row) throws SQLException {
            return new WebhookDelivery(row.getString("id"), row.getString("webhook_id"), row.getString("application_id"),
                    row.getString("delivery_id"), row.getString("event"), WebhookDeliveryStatus.valueOf(row.getString("status")),
                    row.getString("reason"), row.getString("branch"), row.getString("commit_sha"), row.getString("author"),
                    row.getString("message"), row.getString("deployment_id"), instant(row, "received_at"), row.getString("repository"));
        }
    }
}
