package io.ployer.spi.storage;

import io.ployer.api.access.Invitation;
import io.ployer.api.access.Project;
import io.ployer.api.access.ProjectMember;
import java.util.List;
import java.util.Optional;

/** Projects, their members and invitations. Deleting a project deletes its members and invitations. */
public interface ProjectStore {
    /** CONFLICT naming {@code id} when the id is taken. */
    void insert(Project project);

    /** Replaces the stored project with the same id; NOT_FOUND when there is none. */
    void update(Project project);

    Optional<Project> find(String id);

    /** Every project, by id. */
    List<Project> list();

    /** Returns whether a row was deleted. */
    boolean delete(String id);

    /** How many applications the project holds. */
    long applicationCount(String projectId);

    /** The project's members, by e-mail address. */
    List<ProjectMember> members(String projectId);

    /** Every membership of one user. */
    List<ProjectMember> memberships(String userId);

    /** Adds the member or replaces their role. */
    void putMember(ProjectMember member);

    /** Returns whether a row was deleted. */
    boolean deleteMember(String projectId, String userId);

    void insertInvitation(Invitation invitation);

    Optional<Invitation> findInvitationByTokenHash(String tokenHash);

    /** Marks the invitation accepted when it is still open; returns whether it was (single use). */
    boolean acceptInvitation(String invitationId, String userId, java.time.Instant at);

    /** The project's stored environments by name. */
    default List<io.ployer.api.access.Environment> environments(String projectId) {
        throw new UnsupportedOperationException("this storage has no environments");
    }

    /** CONFLICT naming {@code name} when the project has one by that name. */
    default void insertEnvironment(io.ployer.api.access.Environment environment) {
        throw new UnsupportedOperationException("this storage has no environments");
    }

    /** Returns whether a row was deleted. */
    default boolean deleteEnvironment(String projectId, String name) {
        throw new UnsupportedOperationException("this storage has no environments");
    }

    /**
     * The placements of the applications of a project's environment. Applications without a stored
     * placement are in {@code production}.
     */
    default List<io.ployer.api.access.Environment.Placement> placements(String projectId, String environment) {
        throw new UnsupportedOperationException("this storage has no environments");
    }

    /** The application's stored placement, if any (none: {@code production}, no source). */
    default Optional<io.ployer.api.access.Environment.Placement> placement(String applicationId) {
        return Optional.empty();
    }

    /** Stores (or replaces) an application's placement. */
    default void putPlacement(io.ployer.api.access.Environment.Placement placement) {
        throw new UnsupportedOperationException("this storage has no environments");
    }

    /** The ids of the applications that share {@code sourceApplicationId}'s git settings. */
    default List<String> sharingApplications(String sourceApplicationId) {
        return List.of();
    }
}
