package io.ployer.server.webhook;

import io.ployer.api.Ployer;
import io.ployer.api.webhook.WebhookDelivery;
import io.ployer.api.webhook.WebhookDeliveryStatus;
import io.ployer.server.http.HttpPipeline;
import io.ployer.server.http.RequestTooLargeException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Receives forge webhooks at {@code POST /api/v1/webhooks/{provider}?app_id=…} ({@code github},
 * {@code gitlab}, {@code gitea}, {@code bitbucket}, {@code generic}). The delivery authenticates
 * itself with its signature or token, checked over the raw body; no bearer token is needed. The
 * answer comes at once: a deployment it starts runs in the background.
 */
@Path("/webhooks")
@Produces(MediaType.APPLICATION_JSON)
public final class WebhookReceiverResource {
    private final Ployer ployer;

    public WebhookReceiverResource(Ployer ployer) {
        this.ployer = ployer;
    }

    /**
     * What became of a delivery.
     *
     * @param status       success, failed or skipped
     * @param reason       why it was skipped or failed
     * @param deliveryId   the forge's delivery id
     * @param deploymentId the deployment it started
     */
    public record Receipt(WebhookDeliveryStatus status, String reason, String deliveryId, String deploymentId) {
    }

    @POST
    @Path("/{provider}")
    public Response receive(@Context HttpServletRequest request, @PathParam("provider") String provider,
                            @QueryParam("app_id") String applicationId) throws IOException {
        byte[] body = readBody(request);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name, Collections.list(request.getHeaders(name)));
        }
        WebhookDelivery delivery = ployer.webhooks().receive(provider, applicationId, body, headers);
        Receipt receipt = new Receipt(delivery.status(), delivery.reason(), delivery.deliveryId(), delivery.deploymentId());
        return Response.status(delivery.status() == WebhookDeliveryStatus.SUCCESS && delivery.deploymentId() != null ? 202 : 200)
                .entity(receipt).build();
    }

    private static byte[] readBody(HttpServletRequest request) throws IOException {
        try (InputStream input = request.getInputStream()) {
            byte[] body = input.readNBytes((int) HttpPipeline.WEBHOOK_BODY_LIMIT + 1);
            if (body.length > HttpPipeline.WEBHOOK_BODY_LIMIT) {
                throw new RequestTooLargeException(HttpPipeline.WEBHOOK_BODY_LIMIT);
            }
            return body;
        }
    }
}
