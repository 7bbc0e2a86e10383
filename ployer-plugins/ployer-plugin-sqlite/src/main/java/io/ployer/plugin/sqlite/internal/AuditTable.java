package io.ployer.plugin.sqlite.internal;

import static io.ployer.plugin.sqlite.internal.Database.bool;
import static io.ployer.plugin.sqlite.internal.Database.instant;

import io.ployer.api.audit.AuditEntry;
import io.ployer.api.audit.AuditQuery;
import io.ployer.spi.storage.AuditStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The append-only audit log. The change is kept as lines of {@code key<TAB>value}, tabs, newlines and backslashes escaped. */
final class AuditTable implements AuditStore {
    private static final String COLUMNS = "seq, at, actor_user_id, actor, api_key, client_address, action, resource_type, "
            + "resource_id, project_id, status, change";
    private final Database database;

    AuditTable(Database database) {
        this.database = database;
    }

    @Override
    public void append(AuditEntry entry) {
        database.update("INSERT INTO audit_log (at, actor_user_id, actor, api_key, client_address, action, resource_type, "
                        + "resource_id, project_id, status, change) VALUES (?,?,?,?,?,?,?,?,?,?,?)", entry.at(), entry.actorUserId(),
                entry.actor(), entry.apiKey(), entry.clientAddress(), entry.action(), entry.resourceType(), entry.resourceId(),
                entry.projectId(), entry.status(), encode(entry.change()));
    }

    @Override
    public List<AuditEntry> list(AuditQuery query) {
        List<Object> parameters = new ArrayList<>();
        String where = where(query, parameters);
        parameters.add(query.limit());
        parameters.add(query.offset());
        return database.query("SELECT " + COLUMNS + " FROM audit_log" + where + " ORDER BY seq DESC LIMIT ? OFFSET ?",
                AuditTable::map, parameters.toArray());
    }

    @Override
    public long count(AuditQuery query) {
        List<Object> parameters = new ArrayList<>();
        return database.count("SELECT COUNT(*) FROM audit_log" + where(query, parameters), parameters.toArray());
    }

    @Override
    public int deleteBefore(Instant cutoff) {
        return database.update("DELETE FROM audit_log WHERE at < ?", cutoff);
    }

    private static String where(AuditQuery query, List<Object> parameters) {
        StringBuilder where = new StringBuilder();
        condition(where, parameters, "actor_user_id = ?", query.actorUserId());
        condition(where, parameters, "instr(action, ?) > 0", query.action());
        condition(where, parameters, "resource_type = ?", query.resourceType());
        condition(where, parameters, "resource_id = ?", query.resourceId());
        condition(where, parameters, "project_id = ?", query.projectId());
        condition(where, parameters, "at >= ?", query.from());
        condition(where, parameters, "at < ?", query.to());
        return where.toString();
    }

    private static void condition(StringBuilder where, List<Object> parameters, String sql, Object value) {
        if (value != null) {
            where.append(where.length() == 0 ? " WHERE " : " AND ").append(sql);
            parameters.add(value);
        }
    }

    private static AuditEntry map(ResultSet row) throws SQLException {
        return new AuditEntry(row.getLong("seq"), instant(row, "at"), row.getString("actor_user_id"), row.getString("actor"),
                bool(row, "api_key"), row.getString("client_address"), row.getString("action"), row.getString("resource_type"),
                row.getString("resource_id"), row.getString("project_id"), row.getInt("status"), decode(row.getString("change")));
    }

    static String encode(Map<String, String> change) {
        StringBuilder text = new StringBuilder();
        change.forEach((key, value) -> text.append(escape(key)).append('\t').append(escape(value)).append('\n'));
        return text.toString();
    }

    private static String escape(String text) {
        return text == null ? "" : text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
    }

    static Map<String, String> decode(String text) {
        Map<String, String> change = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int tab = line.indexOf('\t');
            if (tab > 0) {
                change.put(unescape(line.substring(0, tab)), unescape(line.substring(tab + 1)));
            }
        }
        return change;
    }

    private static String unescape(String text) {
        StringBuilder plain = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                plain.append(next == 't' ? '\t' : next == 'n' ? '\n' : next);
            } else {
                plain.append(c);
            }
        }
        return plain.toString();
    }
}
