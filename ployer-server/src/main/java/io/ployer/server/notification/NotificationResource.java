package io.ployer.server.notification;

import io.ployer.api.Ployer;
import io.ployer.api.PloyerException;
import io.ployer.api.account.ApiKeyScope;
import io.ployer.api.notification.ChannelSpec;
import io.ployer.api.notification.NotificationChannel;
import io.ployer.api.notification.NotificationDelivery;
import io.ployer.api.notification.NotificationEvent;
import io.ployer.server.auth.Caller;
import io.ployer.server.http.QueryParameters;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Notification channels (admins): list, create, change, delete, send a test; the notifier types;
 * and the recorded delivery attempts. Channel secrets are accepted, never shown.
 */
@Path("/notifications")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class NotificationResource {
    private final Ployer ployer;

    public NotificationResource(Ployer ployer) {
        this.ployer = ployer;
    }

    /**
     * @param name       display name
     * @param type       notifier: webhook, slack, discord, telegram, teams or email
     * @param projectId  the project whose applications the channel hears about; leave it out for an instance-wide channel
     * @param events     events the channel is sent
     * @param config     the notifier's settings; secret ones (url, secret, token, password) are stored encrypted and
     *                   never returned, and keep their values when left out of a change
     * @param enabled    whether the channel is sent anything (default true)
     */
    public record ChannelRequest(String name, String type, String projectId, Set<NotificationEvent> events,
                                 Map<String, String> config, Boolean enabled) {
        ChannelSpec toSpec() {
            return new ChannelSpec(name, type, projectId, events, config, enabled);
        }

        @Override
        public String toString() {
            return "ChannelRequest[name=" + name + ", type=" + type + "]";
        }
    }

    @GET
    @Path("/channels")
    public List<NotificationChannel> list(@Context HttpServletRequest request) {
        Caller.requireAdmin(request, ApiKeyScope.READ);
        return ployer.notifications().listChannels();
    }

    @POST
    @Path("/channels")
    public Response create(@Context HttpServletRequest request, ChannelRequest body) {
        Caller.requireAdmin(request, ApiKeyScope.WRITE);
        if (body == null) {
            throw PloyerException.invalid("body", "is required");
        }
        return Response.status(201).entity(ployer.notifications().createChannel(body.toSpec())).build();
    }

    @GET
    @Path("/channels/{id}")
    public NotificationChannel get(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.requireAdmin(request, ApiKeyScope.READ);
        return ployer.notifications().findChannel(id).orElseThrow(() -> PloyerException.notFound("notification channel", id));
    }

    @PUT
    @Path("/channels/{id}")
    public NotificationChannel update(@Context HttpServletRequest request, @PathParam("id") String id, ChannelRequest body) {
        Caller.requireAdmin(request, ApiKeyScope.WRITE);
        if (ployer.notifications().findChannel(id).isEmpty()) {
            throw PloyerException.notFound("notification channel", id);
        }
        if (body == null) {
            throw PloyerException.invalid("body", "is required");
        }
        return ployer.notifications().updateChannel(id, body.toSpec());
    }

    @DELETE
    @Path("/channels/{id}")
    public Response delete(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.requireAdmin(request, ApiKeyScope.WRITE);
        ployer.notifications().deleteChannel(id);
        return Response.noContent().build();
    }

    /** Sends a test message now and answers the recorded attempt (DELIVERED, or FAILED with the reason). */
    @POST
    @Path("/channels/{id}/test")
    public NotificationDelivery test(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.requireAdmin(request, ApiKeyScope.WRITE);
        return ployer.notifications().test(id);
    }

    @GET
    @Path("/types")
    public List<String> types(@Context HttpServletRequest request) {
        Caller.requireAdmin(request, ApiKeyScope.READ);
        return ployer.notifications().types();
    }

    /** Delivery attempts, newest first; {@code channel_id} narrows them to one channel, {@code limit} is 1..500 (default 100). */
    @GET
    @Path("/deliveries")
    public List<NotificationDelivery> deliveries(@Context HttpServletRequest request, @QueryParam("channel_id") String channelId,
                                                 @QueryParam("limit") String limit) {
        Caller.requireAdmin(request, ApiKeyScope.READ);
        int parsed = limit == null ? 100 : QueryParameters.integer("limit", limit, 1, 500);
        return ployer.notifications().deliveries(channelId == null || channelId.isBlank() ? null : channelId, parsed);
    }
}
