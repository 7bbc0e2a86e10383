package io.ployer.plugin.sqlite.internal;

import static io.ployer.plugin.sqlite.internal.Database.bool;
import static io.ployer.plugin.sqlite.internal.Database.instant;

import io.ployer.api.PloyerException;
import io.ployer.api.account.ApiKey;
import io.ployer.api.account.ApiKeyScope;
import io.ployer.api.account.Role;
import io.ployer.api.account.Session;
import io.ployer.api.account.User;
import io.ployer.api.server.Server;
import io.ployer.api.server.ServerStatus;
import io.ployer.spi.storage.ApiKeyStore;
import io.ployer.spi.storage.ServerStore;
import io.ployer.spi.storage.SessionStore;
import io.ployer.spi.storage.SettingStore;
import io.ployer.spi.storage.UserStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Users, API keys, sessions, servers and settings. */
final class AccountTables {
    private AccountTables() {
    }

    static final class Users implements UserStore {
        private static final String COLUMNS = "id, email, password_hash, role, created_at";
        private final Database database;

        Users(Database database) {
            this.database = database;
        }

        @Override
        public void insert(User user) {
            database.update("INSERT INTO users (" + COLUMNS + ") VALUES (?,?,?,?,?)", user.id(), user.email(),
                    user.passwordHash(), user.role(), user.createdAt());
        }

        @Override
        public void update(User user) {
            database.updateExisting("user", user.id(), "UPDATE users SET email = ?, password_hash = ?, role = ?, created_at = ? WHERE id = ?",
                    user.email(), user.passwordHash(), user.role(), user.createdAt(), user.id());
        }

        @Override
        public Optional<User> findById(String id) {
            return database.queryOne("SELECT " + COLUMNS + " FROM users WHERE id = ?", Users::map, id);
        }

        @Override
        public Optional<User> findByEmail(String email) {
            return database.queryOne("SELECT " + COLUMNS + " FROM users WHERE email = ?", Users::map, email);
        }

        @Override
        public List<User> list() {
            return database.query("SELECT " + COLUMNS + " FROM users ORDER BY created_at, email", Users::map);
        }

        @Override
        public long count() {
            return database.count("SELECT COUNT(*) FROM users");
        }

        @Override
        public boolean delete(String id) {
            return database.update("DELETE FROM users WHERE id = ?", id) > 0;
        }

        private static User map(ResultSet row) throws SQLException {
            return new User(row.getString("id"), row.getString("email"), row.getString("password_hash"),
                    Role.valueOf(row.getString("role")), instant(row, "created_at"));
        }
    }

    static final class ApiKeys implements ApiKeyStore {
        private static final String COLUMNS = "id, user_id, name, prefix, key_hash, scopes, created_at, last_used_at, expires_at, revoked_at, project_id";
        private final Database database;

        ApiKeys(Database database) {
            this.database = database;
        }

        @Override
        public void insert(ApiKey key) {
            database.update("INSERT INTO api_keys (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?)", key.id(), key.userId(),
                    key.name(), key.prefix(), key.keyHash(), scopes(key.scopes()), key.createdAt(), key.lastUsedAt(),
                    key.expiresAt(), key.revokedAt(), key.projectId());
        }

        @Override
        public void update(ApiKey key) {
            database.updateExisting("api key", key.id(), "UPDATE api_keys SET user_id = ?, name = ?, prefix = ?, key_hash = ?, scopes = ?, "
                            + "created_at = ?, last_used_at = ?, expires_at = ?, revoked_at = ?, project_id = ? WHERE id = ?", key.userId(),
                    key.name(), key.prefix(), key.keyHash(), scopes(key.scopes()), key.createdAt(), key.lastUsedAt(),
                    key.expiresAt(), key.revokedAt(), key.projectId(), key.id());
        }

        @Override
        public Optional<ApiKey> findById(String id) {
            return database.queryOne("SELECT " + COLUMNS + " FROM api_keys WHERE id = ?", ApiKeys::map, id);
        }

        @Override
        public Optional<ApiKey> findByHash(String keyHash) {
            return database.queryOne("SELECT " + COLUMNS + " FROM api_keys WHERE key_hash = ?", ApiKeys::map, keyHash);
        }

        @Override
        public List<ApiKey> listByUser(String userId) {
            return database.query("SELECT " + COLUMNS + " FROM api_keys WHERE user_id = ? ORDER BY created_at, id", ApiKeys::map, userId);
        }

        @Override
        public boolean delete(String id) {
            return database.update("DELETE FROM api_keys WHERE id = ?", id) > 0;
        }

        private static String scopes(Set<ApiKeyScope> scopes) {
            return scopes.stream().map(Enum::name).sorted().collect(Collectors.joining(","));
        }

        private static ApiKey map(ResultSet row) throws SQLException {
            String stored = row.getString("scopes");
            Set<ApiKeyScope> scopes = stored.isEmpty() ? EnumSet.noneOf(ApiKeyScope.class)
                    : Arrays.stream(stored.split(",")).map(ApiKeyScope::valueOf)
                    .collect(Collectors.toCollection(() -> EnumSet.noneOf(ApiKeyScope.class)));
            return new ApiKey(row.getString("id"), row.getString("user_id"), row.getString("name"), row.getString("prefix"),
                    row.getString("key_hash"), scopes, instant(row, "created_at"), instant(row, "last_used_at"),
                    instant(row, "expires_at"), instant(row, "revoked_at"), row.getString("project_id"));
        }
    }

    static final class Sessions implements SessionStore {
        private static final String COLUMNS = "id, user_id, token_hash, created_at, expires_at, revoked_at, last_used_at, client_address";
        private final Database database;

        Sessions(Database database) {
            this.database = database;
        }

        @Override
        public void insert(Session session) {
            database.update("INSERT INTO sessions (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?)", session.id(), session.userId(),
                    session.tokenHash(), session.createdAt(), session.expiresAt(), session.revokedAt(), session.lastUsedAt(),
                    session.clientAddress());
        }

        @Override
        public void update(Session session) {
            database.updateExisting("session", session.id(), "UPDATE sessions SET user_id = ?, token_hash = ?, created_at = ?, expires_at = ?, "
                            + "revoked_at = ?, last_used_at = ?, client_address = ? WHERE id = ?", session.userId(), session.tokenHash(),
                    session.createdAt(), session.expiresAt(), session.revokedAt(), session.lastUsedAt(), session.clientAddress(),
                    session.id());
        }

        @Override
        public Optional<Session> findByTokenHash(String tokenHash) {
            return database.queryOne("SELECT " + COLUMNS + " FROM sessions WHERE token_hash = ?", Sessions::map, tokenHash);
        }

        @Override
        public Optional<Session> findById(String id) {
            return database.queryOne("SELECT " + COLUMNS + " FROM sessions WHERE id = ?", Sessions::map, id);
        }

        @Override
        public List<Session> listByUser(String userId) {
            return database.query("SELECT " + COLUMNS + " FROM sessions WHERE user_id = ? ORDER BY created_at DESC, id", Sessions::map, userId);
        }

        @Override
        public int revokeAll(String userId, Instant at) {
            return database.update("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", at, userId);
        }

        @Override
        public int revokeAllExcept(String userId, String keepSessionId, Instant at) {
            return database.update("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL AND id <> ?", at, userId,
                    keepSessionId == null ? "" : keepSessionId);
        }

        @Override
        public int deleteExpired(Instant cutoff) {
            return database.update("DELETE FROM sessions WHERE expires_at < ?", cutoff);
        }

        private static Session map(ResultSet row) throws SQLException {
            return new Session(row.getString("id"), row.getString("user_id"), row.getString("token_hash"), instant(row, "created_at"),
                    instant(row, "expires_at"), instant(row, "revoked_at"), instant(row, "last_used_at"), row.getString("client_address"));
        }
    }

    static final class Servers implements ServerStore {
        private static final String COLUMNS = "id, name, host, port, username, ssh_private_key, is_local, status, last_checked_at, created_at";
        private final Database database;

        Servers(Database database) {
            this.database = database;
        }

        @Override
        public void insert(Server server) {
            database.update("INSERT INTO servers (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?)", server.id(), server.name(),
                    server.host(), server.port(), server.username(), server.sshPrivateKey(), server.local(), server.status(),
                    server.lastCheckedAt(), server.createdAt());
        }

        @Override
        public void update(Server server) {
            database.updateExisting("server", server.id(), "UPDATE servers SET name = ?, host = ?, port = ?, username = ?, ssh_private_key = ?, "
                            + "is_local = ?, status = ?, last_checked_at = ?, created_at = ? WHERE id = ?", server.name(),
                    server.host(), server.port(), server.username(), server.sshPrivateKey(), server.local(), server.status(),
                    server.lastCheckedAt(), server.createdAt(), server.id());
        }

        @Override
        public Optional<Server> findById(String id) {
            return database.queryOne("SELECT " + COLUMNS + " FROM servers WHERE id = ?", Servers::map, id);
        }

        @Override
        public Optional<Server> findByName(String name) {
            return database.queryOne("SELECT " + COLUMNS + " FROM servers WHERE name = ?", Servers::map, name);
        }

        @Override
        public Optional<Server> findLocal() {
            return database.queryOne("SELECT " + COLUMNS + " FROM servers WHERE is_local = 1 ORDER BY created_at LIMIT 1", Servers::map);
        }

        @Override
        public List<Server> list() {
            return database.query("SELECT " + COLUMNS + " FROM servers ORDER BY is_local DESC, name", Servers::map);
        }

        @Override
        public boolean delete(String id) {
            return database.update("DELETE FROM servers WHERE id = ?", id) > 0;
        }

        private static Server map(ResultSet row) throws SQLException {
            return new Server(row.getString("id"), row.getString("name"), row.getString("host"), row.getInt("port"),
                    row.getString("username"), row.getString("ssh_private_key"), bool(row, "is_local"),
                    ServerStatus.valueOf(row.getString("status")), instant(row, "last_checked_at"), instant(row, "created_at"));
        }
    }

    static final class Settings implements SettingStore {
        private final Database database;

        Settings(Database database) {
            this.database = database;
        }

        @Override
        public Optional<String> get(String key) {
            return database.queryOne("SELECT value FROM settings WHERE key = ?", row -> row.getString("value"), key);
        }

        @Override
        public void put(String key, String value) {
            database.update("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    key, value);
        }

        @Override
        public boolean delete(String key) {
            return database.update("DELETE FROM settings WHERE key = ?", key) > 0;
        }

        @Override
        public Map<String, String> all() {
            Map<String, String> result = new LinkedHashMap<>();
            database.query("SELECT key, value FROM settings ORDER BY key", row -> result.put(row.getString("key"), row.getString("value")));
            return result;
        }
    }
}
