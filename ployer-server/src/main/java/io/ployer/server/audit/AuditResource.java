package io.ployer.server.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ployer.api.Ployer;
import io.ployer.api.PloyerException;
import io.ployer.api.account.ApiKeyScope;
import io.ployer.api.audit.AuditEntry;
import io.ployer.api.audit.AuditQuery;
import io.ployer.server.auth.Caller;
import io.ployer.server.http.Paging;
import io.ployer.server.http.QueryParameters;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /audit}: the audit log, newest first, for instance admins (everything) and project
 * admins (their project, named by {@code project_id}); filters, paging, and {@code format=jsonl} for
 * an export of JSON lines. Who may read it is the engine's answer.
 */
@Path("/audit")
@Produces(MediaType.APPLICATION_JSON)
public final class AuditResource {
    private static final int MAX_EXPORT = 10_000;
    private final Ployer ployer;
    private final ObjectMapper json;

    public AuditResource(Ployer ployer, ObjectMapper json) {
        this.ployer = ployer;
        this.json = json;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, "application/x-ndjson"})
    public Response list(@Context HttpServletRequest request, @Context HttpServletResponse response,
                         @QueryParam("user_id") String userId, @QueryParam("action") String action,
                         @QueryParam("resource_type") String resourceType, @QueryParam("resource_id") String resourceId,
                         @QueryParam("project_id") String projectId, @QueryParam("from") String from, @QueryParam("to") String to,
                         @QueryParam("format") String format, @QueryParam("offset") String offset, @QueryParam("limit") String limit) {
        Caller.require(request, ApiKeyScope.READ);
        for (String[] text : new String[][] {{"user_id", userId}, {"action", action}, {"resource_type", resourceType},
                {"resource_id", resourceId}, {"project_id", projectId}}) {
            if (text[1] != null && (text[1].isBlank() || text[1].length() > 200)) {
                throw PloyerException.invalid(text[0], "must be 1 to 200 characters");
            }
        }
        Instant start = from == null ? null : QueryParameters.instant("from", from);
        Instant end = to == null ? null : QueryParameters.instant("to", to);
        boolean lines = format != null && switch (format) {
            case "jsonl" -> true;
            case "json" -> false;
            default -> throw PloyerException.invalid("format", "must be json or jsonl");
        };
        if (lines) {
            int count = limit == null ? MAX_EXPORT : QueryParameters.integer("limit", limit, 1, MAX_EXPORT);
            int skip = offset == null ? 0 : QueryParameters.integer("offset", offset, 0, Integer.MAX_VALUE);
            List<AuditEntry> entries = ployer.audit().list(new AuditQuery(userId, action, resourceType, resourceId, projectId,
                    start, end, skip, count));
            StringBuilder text = new StringBuilder();
            for (AuditEntry entry : entries) {
                try {
                    text.append(json.writeValueAsString(entry)).append('\n');
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("an audit entry could not be written as JSON", e);
                }
            }
            return Response.ok(text.toString(), "application/x-ndjson").build();
        }
        Paging.Window window = Paging.Window.of(offset, limit);
        AuditQuery query = new AuditQuery(userId, action, resourceType, resourceId, projectId, start, end, window.offset(),
                window.limit());
        long total = ployer.audit().count(query);
        return Response.ok(Paging.answer(request, response, window, total, ployer.audit().list(query)),
                MediaType.APPLICATION_JSON).build();
    }
}
