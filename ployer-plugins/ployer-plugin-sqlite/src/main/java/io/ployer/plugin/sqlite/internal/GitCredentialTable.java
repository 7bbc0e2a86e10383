package io.ployer.plugin.sqlite.internal;

import io.ployer.spi.storage.GitCredentialStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Https tokens of applications. */
final class GitCredentialTable implements GitCredentialStore {
    private final Database database;

    GitCredentialTable(Database database) {
        this.database = database;
    }

    @Override
    public Optional<String> find(String applicationId) {
        return database.queryOne("SELECT token FROM git_credentials WHERE application_id = ?", row -> row.getString("token"),
                applicationId);
    }

    @Override
    public void put(String applicationId, String token) {
        database.update("INSERT INTO git_credentials (application_id, token) VALUES (?, ?) "
                + "ON CONFLICT (application_id) DO UPDATE SET token = excluded.token", applicationId, token);
    }

    @Override
    public boolean delete(String applicationId) {
        return database.update("DELETE FROM git_credentials WHERE application_id = ?", applicationId) > 0;
    }

    @Override
    public Map<String, String> listAll() {
        Map<String, String> result = new LinkedHashMap<>();
        database.query("SELECT application_id, token FROM git_credentials ORDER BY application_id",
                row -> result.put(row.getString("application_id"), row.getString("token")));
        return result;
    }
}
