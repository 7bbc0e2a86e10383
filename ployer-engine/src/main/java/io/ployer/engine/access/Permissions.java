package io.ployer.engine.access;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.access.Project;
import io.ployer.api.access.ProjectMember;
import io.ployer.api.access.ProjectRole;
import io.ployer.api.account.AccountService.Principal;
import io.ployer.api.application.Application;
import io.ployer.spi.storage.Storage;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may do what, answered from storage: instance admins may do everything; everybody else may do
 * in a project what their role there allows ({@link Action}). The one place the engine decides
 * access, consulted by every service method of a {@link io.ployer.api.Ployer#as principal's view}.
 *
 * <p>A resource the caller may not see is NOT_FOUND, worded like a resource that does not exist,
 * so that ids do not leak; one the caller may see but not change is PERMISSION_DENIED.
 */
public final class Permissions {
    private final Storage storage;

    public Permissions(Storage storage) {
        this.storage = storage;
    }

    /** Whether the principal is an instance admin (or owner): everything, everywhere. */
    public static boolean isInstanceAdmin(Principal principal) {
        return principal.isAdmin();
    }

    /** The principal's role in the project: ADMIN for instance admins, else their membership, if any. */
    public Optional<ProjectRole> role(Principal principal, String projectId) {
        if (principal.projectId() != null && !principal.projectId().equals(projectId)) {
            return Optional.empty(); // a key narrowed to another project
        }
        if (principal.user().role().instanceAdmin()) {
            return Optional.of(ProjectRole.ADMIN);
        }
        return membership(principal.user().id(), projectId);
    }

    /** The user's own membership role in the project, if any. */
    public Optional<ProjectRole> membership(String userId, String projectId) {
        try {
            return storage.projects().memberships(userId).stream().filter(member -> member.projectId().equals(projectId))
                    .map(ProjectMember::role).findFirst();
        } catch (UnsupportedOperationException e) {
            return Optional.empty(); // a storage without projects: instance roles only
        }
    }

    /** The projects the principal may see with their roles; empty for none. Instance admins: every project as ADMIN. */
    public Map<String, ProjectRole> roles(Principal principal) {
        try {
            if (isInstanceAdmin(principal)) {
                return storage.projects().list().stream().collect(Collectors.toMap(Project::id, project -> ProjectRole.ADMIN));
            }
            if (principal.user().role().instanceAdmin()) { // an admin's key narrowed to one project
                return storage.projects().find(principal.projectId()).map(project -> Map.of(project.id(), ProjectRole.ADMIN))
                        .orElse(Map.of());
            }
            return storage.projects().memberships(principal.user().id()).stream()
                    .filter(member -> principal.projectId() == null || principal.projectId().equals(member.projectId()))
                    .collect(Collectors.toMap(ProjectMember::projectId, ProjectMember::role));
        } catch (UnsupportedOperationException e) {
            return isInstanceAdmin(principal) ? Map.of(Project.DEFAULT_ID, ProjectRole.ADMIN) : Map.of();
        }
    }

    /** The ids of the projects the principal may see. */
    public Set<String> visibleProjects(Principal principal) {
        return roles(principal).keySet();
    }

    /** Whether the principal may see resources of the project. */
    public boolean maySee(Principal principal, String projectId) {
        return role(principal, projectId).isPresent();
    }

    /** Whether the principal may do {@code action} in the project. */
    public boolean allows(Principal principal, String projectId, Action action) {
        return role(principal, projectId).map(action::allowedTo).orElse(false);
    }

    /**
     * Checks that the principal may do {@code action} on a resource of the project: NOT_FOUND
     * (as for a missing {@code kind} {@code id}) when it may not see the project, PERMISSION_DENIED
     * when it may see but not do.
     */
    public void require(Principal principal, String projectId, Action action, String kind, String id) {
        Optional<ProjectRole> role = role(principal, projectId);
        if (role.isEmpty()) {
            throw PloyerException.notFound(kind, id);
        }
        if (!action.allowedTo(role.get())) {
            throw new PloyerException(StandardErrorCode.PERMISSION_DENIED, denial(role.get(), action));
        }
    }

    /** Checks {@code action} on an application (NOT_FOUND when absent or invisible); returns it. */
    public Application requireApplication(Principal principal, String applicationId, Action action) {
        Application application = (applicationId == null || applicationId.length() > 64 ? Optional.<Application>empty()
                : storage.applications().findById(applicationId))
                .orElseThrow(() -> PloyerException.notFound("application", applicationId));
        require(principal, application.projectId(), action, "application", applicationId);
        return application;
    }

    /** Whether the principal may see the application (false when it does not exist). */
    public boolean maySeeApplication(Principal principal, String applicationId) {
        if (applicationId == null || applicationId.length() > 64) {
            return false;
        }
        return storage.applications().findById(applicationId).map(app -> maySee(principal, app.projectId())).orElse(false);
    }

    /** Checks that the principal is an instance admin; PERMISSION_DENIED otherwise. */
    public static void requireInstanceAdmin(Principal principal) {
        if (!isInstanceAdmin(principal)) {
            throw new PloyerException(StandardErrorCode.PERMISSION_DENIED, "only an instance admin may do this");
        }
    }

    private static String denial(ProjectRole role, Action action) {
        String what = switch (action) {
            case READ -> "see this";
            case WRITE -> "change this";
            case DEPLOY -> "deploy, roll back or cancel";
            case REVEAL_SECRETS -> "see secret values";
            case CONTAINER_LOGS -> "read container logs";
            case ADMINISTER -> "do this (it needs the project's admin role)";
        };
        return "a project " + role.name().toLowerCase(java.util.Locale.ROOT) + " may not " + what;
    }
}
