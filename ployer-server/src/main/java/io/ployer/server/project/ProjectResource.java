package io.ployer.server.project;

import io.ployer.api.Ployer;
import io.ployer.api.PloyerException;
import io.ployer.api.access.Environment;
import io.ployer.api.access.Invitation;
import io.ployer.api.access.Project;
import io.ployer.api.access.ProjectMember;
import io.ployer.api.access.ProjectRole;
import io.ployer.api.account.ApiKeyScope;
import io.ployer.server.auth.Caller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Projects, their members and invitations. What a caller may see and do is decided by the engine
 * (the resource's {@link Ployer} answers as the caller); this class only reads JSON and scopes.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class ProjectResource {
    private final Ployer ployer;

    public ProjectResource(Ployer ployer) {
        this.ployer = ployer;
    }

    /**
     * @param id   DNS label, unique (on create only)
     * @param name display name
     */
    public record ProjectRequest(String id, String name) {
    }

    /** @param role {@code admin}, {@code developer} or {@code viewer} */
    public record MemberRequest(ProjectRole role) {
    }

    /**
     * @param role            the role the invited user gets
     * @param validForSeconds how long the token may be accepted (60 s to 30 days; default 7 days)
     */
    public record InvitationRequest(ProjectRole role, Integer validForSeconds) {
    }

    /**
     * @param token      the single-use token (shown once)
     * @param id         the invitation's id
     * @param projectId  the project
     * @param role       the role it grants
     * @param expiresAt  when it expires
     */
    public record InvitationAnswer(String token, String id, String projectId, ProjectRole role, Instant expiresAt) {
        @Override
        public String toString() {
            return "InvitationAnswer[id=" + id + "]";
        }
    }

    /** @param token an invitation token */
    public record AcceptRequest(String token) {
        @Override
        public String toString() {
            return "AcceptRequest[token=********]";
        }
    }

    @GET
    @Path("projects")
    public List<Project> list(@Context HttpServletRequest request) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.projects().list();
    }

    @POST
    @Path("projects")
    public Response create(@Context HttpServletRequest request, ProjectRequest body) {
        Caller.require(request, ApiKeyScope.WRITE);
        requireBody(body);
        return Response.status(201).entity(ployer.projects().create(body.id(), body.name())).build();
    }

    @GET
    @Path("projects/{id}")
    public Project get(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.projects().get(id);
    }

    @PUT
    @Path("projects/{id}")
    public Project rename(@Context HttpServletRequest request, @PathParam("id") String id, ProjectRequest body) {
        Caller.require(request, ApiKeyScope.WRITE);
        requireBody(body);
        if (body.id() != null && !body.id().equals(id)) {
            throw PloyerException.invalid("id", "cannot be changed (leave it out or repeat the path's id)");
        }
        return ployer.projects().rename(id, body.name());
    }

    @DELETE
    @Path("projects/{id}")
    public Response delete(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.WRITE);
        ployer.projects().delete(id);
        return Response.noContent().build();
    }

    @GET
    @Path("projects/{id}/members")
    public List<ProjectMember> members(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.projects().members(id);
    }

    @PUT
    @Path("projects/{id}/members/{userId}")
    public ProjectMember setMember(@Context HttpServletRequest request, @PathParam("id") String id,
                                   @PathParam("userId") String userId, MemberRequest body) {
        Caller.require(request, ApiKeyScope.WRITE);
        requireBody(body);
        if (body.role() == null) {
            throw PloyerException.invalid("role", "is required (admin, developer or viewer)");
        }
        return ployer.projects().setMember(id, userId, body.role());
    }

    @DELETE
    @Path("projects/{id}/members/{userId}")
    public Response removeMember(@Context HttpServletRequest request, @PathParam("id") String id,
                                 @PathParam("userId") String userId) {
        Caller.require(request, ApiKeyScope.WRITE);
        ployer.projects().removeMember(id, userId);
        return Response.noContent().build();
    }

    @POST
    @Path("projects/{id}/invitations")
    public Response invite(@Context HttpServletRequest request, @PathParam("id") String id, InvitationRequest body) {
        Caller.require(request, ApiKeyScope.WRITE);
        requireBody(body);
        if (body.role() == null) {
            throw PloyerException.invalid("role", "is required (admin, developer or viewer)");
        }
        if (body.validForSeconds() != null && (body.validForSeconds() < 60 || body.validForSeconds() > 30 * 86_400)) {
            throw PloyerException.invalid("valid_for_seconds", "must be between 60 seconds and 30 days");
        }
        Invitation.Issued issued = ployer.projects().invite(id, body.role(),
                body.validForSeconds() == null ? null : Duration.ofSeconds(body.validForSeconds()));
        Invitation invitation = issued.invitation();
        return Response.status(201).entity(new InvitationAnswer(issued.token(), invitation.id(), invitation.projectId(),
                invitation.role(), invitation.expiresAt())).build();
    }

    @POST
    @Path("invitations/accept")
    public ProjectMember accept(@Context HttpServletRequest request, AcceptRequest body) {
        Caller.require(request, ApiKeyScope.WRITE);
        requireBody(body);
        return ployer.projects().accept(body.token());
    }

    /** @param name a DNS label, unused in the project */
    public record EnvironmentRequest(String name) {
    }

    /**
     * @param sourceApplicationId the application (of this project) whose git settings the new one shares
     * @param name                the new application's name (a DNS label, unique)
     * @param branch              the branch it deploys (default: the source's)
     */
    public record CounterpartRequest(String sourceApplicationId, String name, String branch) {
    }

    @GET
    @Path("projects/{id}/environments")
    public List<Environment> environments(@Context HttpServletRequest request, @PathParam("id") String id) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.projects().environments(id);
    }

    @POST
    @Path("projects/{id}/environments")
    public Response createEnvironment(@Context HttpServletRequest request, @PathParam("id") String id, EnvironmentRequest body) {
        Caller.require(request, ApiKeyScope.WRITE);
        requireBody(body);
        return Response.status(201).entity(ployer.projects().createEnvironment(id, body.name())).build();
    }

    @DELETE
    @Path("projects/{id}/environments/{environment}")
    public Response deleteEnvironment(@Context HttpServletRequest request, @PathParam("id") String id,
                                      @PathParam("environment") String environment) {
        Caller.require(request, ApiKeyScope.WRITE);
        ployer.projects().deleteEnvironment(id, environment);
        return Response.noContent().build();
    }

    @GET
    @Path("projects/{id}/environments/{environment}/applications")
    public List<Environment.Placement> environmentApplications(@Context HttpServletRequest request, @PathParam("id") String id,
                                                               @PathParam("environment") String environment) {
        Caller.require(request, ApiKeyScope.READ);
        return ployer.projects().environmentApplications(id, environment);
    }

    @POST
    @Path("projects/{id}/environments/{environment}/applications")
    public Response addToEnvironment(@Context HttpServletRequest request, @PathParam("id") String id,
                                     @PathParam("environment") String environment, CounterpartRequest body) {
        Caller.require(request, ApiKeyScope.WRITE);
        requireBody(body);
        io.ployer.api.access.Environment.Placement placed = ployer.projects().addToEnvironment(id, environment,
                body.sourceApplicationId(), body.name(), body.branch());
        return Response.status(201).entity(ployer.applications().get(placed.applicationId())).build();
    }

    private static void requireBody(Object body) {
        if (body == null) {
            throw PloyerException.invalid("body", "is required");
        }
    }
}
