package io.ployer.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Serves the OpenAPI document at {@code /api/v1/openapi.json} (no authentication: it is a description, not data). */
@Path("/openapi.json")
@Produces(MediaType.APPLICATION_JSON)
public final class OpenApiResource {
    private final ObjectNode document;

    public OpenApiResource(ObjectNode document) {
        this.document = document;
    }

    @GET
    public ObjectNode document() {
        return document;
    }
}
