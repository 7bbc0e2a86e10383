package io.ployer.plugin.sqlite.internal;

import static io.ployer.plugin.sqlite.internal.Database.instant;

import io.ployer.spi.storage.TotpStore;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** TOTP second factors and recovery codes. */
final class TotpTables implements TotpStore {
    private final Database database;

    TotpTables(Database database) {
        this.database = database;
    }

    @Override
    public Optional<TotpFactor> find(String userId) {
        return database.queryOne("SELECT user_id, secret, created_at, confirmed_at, last_step FROM user_totp WHERE user_id = ?",
                row -> {
                    long step = row.getLong("last_step");
                    return new TotpFactor(row.getString("user_id"), row.getString("secret"), instant(row, "created_at"),
                            instant(row, "confirmed_at"), row.wasNull() ? null : step);
                }, userId);
    }

    @Override
    public void put(TotpFactor factor) {
        database.update("DELETE FROM recovery_codes WHERE user_id = ?", factor.userId());
        database.update("INSERT INTO user_totp (user_id, secret, created_at, confirmed_at, last_step) VALUES (?,?,?,?,?) "
                        + "ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at, "
                        + "confirmed_at = excluded.confirmed_at, last_step = excluded.last_step",
                factor.userId(), factor.secret(), factor.createdAt(), factor.confirmedAt(), factor.lastStep());
    }

    @Override
    public boolean delete(String userId) {
        database.update("DELETE FROM recovery_codes WHERE user_id = ?", userId);
        return database.update("DELETE FROM user_totp WHERE user_id = ?", userId) > 0;
    }

    @Override
    public boolean advanceStep(String userId, long step) {
        return database.update("UPDATE user_totp SET last_step = ? WHERE user_id = ? AND (last_step IS NULL OR last_step < ?)",
                step, userId, step) > 0;
    }

    @Override
    public void confirm(String userId, Instant at) {
        database.update("UPDATE user_totp SET confirmed_at = ? WHERE user_id = ?", at, userId);
    }

    @Override
    public void replaceRecoveryCodes(String userId, List<String> codeHashes) {
        database.update("DELETE FROM recovery_codes WHERE user_id = ?", userId);
        for (String hash : codeHashes) {
            database.update("INSERT INTO recovery_codes (user_id, code_hash, used_at) VALUES (?, ?, NULL)", userId, hash);
        }
    }

    @Override
    public boolean useRecoveryCode(String userId, String codeHash, Instant at) {
        return database.update("UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
                at, userId, codeHash) > 0;
    }

    @Override
    public int unusedRecoveryCodes(String userId) {
        return (int) database.count("SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL", userId);
    }

    @Override
    public Map<String, String> listSecrets() {
        Map<String, String> result = new LinkedHashMap<>();
        database.query("SELECT user_id, secret FROM user_totp ORDER BY user_id",
                row -> result.put(row.getString("user_id"), row.getString("secret")));
        return result;
    }

    @Override
    public void replaceSecret(String userId, String secret) {
        database.update("UPDATE user_totp SET secret = ? WHERE user_id = ?", secret, userId);
    }
}
