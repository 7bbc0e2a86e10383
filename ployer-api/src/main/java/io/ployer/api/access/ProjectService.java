package io.ployer.api.access;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Projects, their members and invitations. Reached through {@link io.ployer.api.Ployer#projects()};
 * on a view made with {@link io.ployer.api.Ployer#as} every method answers as that caller may:
 * lists hold only what the caller may see, and a project the caller may not see is NOT_FOUND.
 */
public interface ProjectService {

    /** The projects the caller may see, by id. */
    List<Project> list();

    /** The project, or NOT_FOUND. */
    Project get(String projectId);

    /** The project, if it exists and the caller may see it. */
    Optional<Project> find(String projectId);

    /** Creates a project (instance admins only). The id must be an unused DNS label. */
    Project create(String id, String name);

    /** Renames a project (its admins). */
    Project rename(String projectId, String name);

    /** Deletes an empty project (instance admins); CONFLICT while it holds applications, INVALID for {@code default}. */
    void delete(String projectId);

    /** The project's members (any member may list them). */
    List<ProjectMember> members(String projectId);

    /** Adds a user, or changes their role (project admins). */
    ProjectMember setMember(String projectId, String userId, ProjectRole role);

    /** Removes a member (project admins); NOT_FOUND when the user is not a member. */
    void removeMember(String projectId, String userId);

    /** Makes a single-use invitation token with a role, valid for {@code validFor} (1 minute to 30 days). */
    Invitation.Issued invite(String projectId, ProjectRole role, Duration validFor);

    /**
     * Makes the calling user a member with the invitation's role. NOT_FOUND for an unknown, used or
     * expired token (the answers do not tell them apart).
     */
    ProjectMember accept(String token);

    /** The role the calling user has in the project, if any (instance admins have none unless added). */
    Optional<ProjectRole> roleOf(String projectId);

    /** The project's environments by name ({@code production} always among them); any member. */
    default List<Environment> environments(String projectId) {
        throw new UnsupportedOperationException("this project service has no environments");
    }

    /** Adds an environment (project admins); the name is a DNS label unused in the project (CONFLICT otherwise). */
    default Environment createEnvironment(String projectId, String name) {
        throw new UnsupportedOperationException("this project service has no environments");
    }

    /**
     * Deletes an environment (project admins): INVALID_ARGUMENT for {@code production}, CONFLICT
     * while it holds applications.
     */
    default void deleteEnvironment(String projectId, String name) {
        throw new UnsupportedOperationException("this project service has no environments");
    }

    /** Where the environment's applications are (any member); NOT_FOUND for an unknown environment. */
    default List<Environment.Placement> environmentApplications(String projectId, String environment) {
        throw new UnsupportedOperationException("this project service has no environments");
    }

    /**
     * Makes {@code source}'s counterpart in another environment of its project (developers): a new
     * application named {@code name} that shares the source's git settings (repository, build
     * strategy and its settings, port, git credentials: a change of the source's repository or
     * build reaches it too) and deploys {@code branch} (default: the source's), with env values and
     * domains of its own. INVALID_ARGUMENT naming {@code source_application_id} when the source is
     * not in this project, NOT_FOUND for an unknown environment.
     */
    default Environment.Placement addToEnvironment(String projectId, String environment,
                                                   String sourceApplicationId, String name, String branch) {
        throw new UnsupportedOperationException("this project service has no environments");
    }

    /** Where an application is (anyone who may see it). */
    default Environment.Placement placement(String applicationId) {
        throw new UnsupportedOperationException("this project service has no environments");
    }
}
