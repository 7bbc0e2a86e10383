package io.ployer.engine.access;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.access.Invitation;
import io.ployer.api.access.Project;
import io.ployer.api.access.ProjectMember;
import io.ployer.api.access.ProjectRole;
import io.ployer.api.access.ProjectService;
import io.ployer.api.account.AccountService.Principal;
import io.ployer.spi.storage.Storage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Projects, members and invitations, for one principal ({@code null}: the system, which may do
 * everything and is no user).
 */
public final class DefaultProjectService implements ProjectService {
    private static final Pattern ID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Duration LONGEST_INVITATION = Duration.ofDays(30);
    private static final String TOKEN_PREFIX = "ployer_inv_";
    private final SecureRandom random = new SecureRandom();

    private final Storage storage;
    private final Clock clock;
    private final Permissions permissions;
    private final Principal principal;

    private final io.ployer.api.application.ApplicationService applications;
    private final AuditTrail audit;
    private final String clientAddress;

    private void record(String action, String type, String id, String projectId, java.util.Map<String, String> change) {
        audit.record(principal, clientAddress, action, type, id, projectId, change);
    }
    private final ProjectEnvironments environments;

    public DefaultProjectService(Storage storage, Clock clock, Permissions permissions, Principal principal) {
        this(storage, clock, permissions, principal, null);
    }

    /**
     * @param applications the caller's applications (a principal's guarded view, or the engine's own),
     *                     through which counterparts in other environments are created
     */
    public DefaultProjectService(Storage storage, Clock clock, Permissions permissions, Principal principal,
                                 io.ployer.api.application.ApplicationService applications) {
        this(storage, clock, permissions, principal, applications, null);
    }

    /** @param clientAddress where the principal calls from, for the audit log ({@code null}: unknown) */
    public DefaultProjectService(Storage storage, Clock clock, Permissions permissions, Principal principal,
                                 io.ployer.api.application.ApplicationService applications, String clientAddress) {
        this.audit = new AuditTrail(storage, clock);
        this.clientAddress = clientAddress;
        this.applications = applications;
        this.environments = new ProjectEnvironments(storage, clock);
        this.storage = storage;
        this.clock = clock;
        this.permissions = permissions;
        this.principal = principal;
    }

    private boolean system() {
        return principal == null;
    }

    private void require(String projectId, Action action) {
        Project project = find(projectId).orElseThrow(() -> PloyerException.notFound("project", projectId));
        if (!system()) {
            permissions.require(principal, project.id(), action, "project", projectId);
        }
    }

    private void requireInstanceAdmin() {
        if (!system()) {
            Permissions.requireInstanceAdmin(principal);
        }
    }

    @Override
    public List<Project> list() {
        List<Project> all = storage.projects().list();
        if (system()) {
            return all;
        }
        Set<String> visible = permissions.visibleProjects(principal);
        return all.stream().filter(project -> visible.contains(project.id())).toList();
    }

    @Override
    public Project get(String projectId) {
        return find(projectId).orElseThrow(() -> PloyerException.notFound("project", projectId));
    }

    @Override
    public Optional<Project> find(String projectId) {
        if (projectId == null || projectId.length() > 63) {
            return Optional.empty();
        }
        return storage.projects().find(projectId).filter(project -> system() || permissions.maySee(principal, project.id()));
    }

    @Override
    public Project create(String id, String name) {
        requireInstanceAdmin();
        if (id == null || !ID.matcher(id).matches()) {
            throw PloyerException.invalid("id", "must be a DNS label: lower-case letters, digits and inner hyphens, 1 to 63 characters");
        }
        Project project = new Project(id, checkName(name == null ? id : name), clock.instant());
        storage.inTransaction(tx -> {
            if (tx.projects().find(id).isPresent()) {
                throw PloyerException.conflict("id", "a project with the id '" + id + "' already exists");
            }
            tx.projects().insert(project);
            return null;
        });
        record("project.created", "project", id, id, AuditTrail.change("name", project.name()));
        return project;
    }

    private static String checkName(String name) {
        if (name == null || name.isBlank()) {
            throw PloyerException.invalid("name", "is required");
        }
        if (name.length() > 100 || name.chars().anyMatch(Character::isISOControl)) {
            throw PloyerException.invalid("name", "must be at most 100 characters without control characters");
        }
        return name.strip();
    }

    @Override
    public Project rename(String projectId, String name) {
        require(projectId, Action.ADMINISTER);
        Project current = get(projectId);
        Project renamed = new Project(current.id(), checkName(name), current.createdAt());
        storage.projects().update(renamed);
        record("project.renamed", "project", projectId, projectId, AuditTrail.change("name", renamed.name()));
        return renamed;
    }

    @Override
    public void delete(String projectId) {
        requireInstanceAdmin(); // first: anyone else gets the same 403 whether or not the project exists
        require(projectId, Action.READ);
        if (Project.DEFAULT_ID.equals(projectId)) {
            throw PloyerException.invalid("id", "the default project cannot be deleted");
        }
        storage.inTransaction(tx -> {
            long applications = tx.projects().applicationCount(projectId);
            if (applications > 0) {
                throw PloyerException.conflict("id", "the project still holds " + applications
                        + " application(s): delete or move them first");
            }
            tx.projects().delete(projectId);
            return null;
        });
        record("project.deleted", "project", projectId, projectId, java.util.Map.of());
    }

    @Override
    public List<ProjectMember> members(String projectId) {
        require(projectId, Action.READ);
        return storage.projects().members(projectId);
    }

    @Override
    public ProjectMember setMember(String projectId, String userId, ProjectRole role) {
        require(projectId, Action.ADMINISTER);
        if (role == null) {
            throw PloyerException.invalid("role", "is required (admin, developer or viewer)");
        }
        var user = (userId == null || userId.length() > 64 ? Optional.<io.ployer.api.account.User>empty()
                : storage.users().findById(userId)).orElseThrow(() -> PloyerException.invalid("user_id", "must name an existing user"));
        ProjectMember member = new ProjectMember(projectId, user.id(), user.email(), role, clock.instant());
        storage.projects().putMember(member);
        record("member.set", "project", projectId, projectId, AuditTrail.change("user_id", user.id(), "email", user.email(), "role", role));
        return storage.projects().members(projectId).stream().filter(m -> m.userId().equals(user.id())).findFirst().orElse(member);
    }

    @Override
    public void removeMember(String projectId, String userId) {
        require(projectId, Action.ADMINISTER);
        if (userId == null || !storage.projects().deleteMember(projectId, userId)) {
            throw PloyerException.notFound("member of project " + projectId, userId);
        }
        record("member.removed", "project", projectId, projectId, AuditTrail.change("user_id", userId));
    }

    @Override
    public Invitation.Issued invite(String projectId, ProjectRole role, Duration validFor) {
        require(projectId, Action.ADMINISTER);
        if (role == null) {
            throw PloyerException.invalid("role", "is required (admin, developer or viewer)");
        }
        Duration validity = validFor == null ? Duration.ofDays(7) : validFor;
        if (validity.compareTo(Duration.ofMinutes(1)) < 0 || validity.compareTo(LONGEST_INVITATION) > 0) {
            throw PloyerException.invalid("valid_for_seconds", "must be between 60 seconds and 30 days");
        }
        byte[] random = new byte[32];
        this.random.nextBytes(random);
        String token = TOKEN_PREFIX + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Instant now = clock.instant();
        Invitation invitation = new Invitation(UUID.randomUUID().toString(), projectId, role, hash(token),
                system() ? null : principal.user().id(), now, now.plus(validity), null, null);
        storage.projects().insertInvitation(invitation);
        record("invitation.created", "invitation", invitation.id(), projectId, AuditTrail.change("role", role,
                "expires_at", invitation.expiresAt()));
        return new Invitation.Issued(token, invitation);
    }

    @Override
    public ProjectMember accept(String token) {
        if (system()) {
            throw new PloyerException(StandardErrorCode.INVALID_STATE, "an invitation is accepted by a user: use ployer.as(principal)");
        }
        if (token == null || token.isBlank() || token.length() > 200) {
            throw PloyerException.invalid("token", "is required");
        }
        Instant now = clock.instant();
        ProjectMember accepted = storage.inTransaction(tx -> {
            Invitation invitation = tx.projects().findInvitationByTokenHash(hash(token))
                    .filter(found -> found.acceptedAt() == null && now.isBefore(found.expiresAt()))
                    .orElseThrow(() -> PloyerException.notFound("invitation", "(the token is unknown, used or expired)"));
            if (!tx.projects().acceptInvitation(invitation.id(), principal.user().id(), now)) {
                throw PloyerException.notFound("invitation", "(the token is unknown, used or expired)");
            }
            // Accepting never lowers a role the user already has.
            Optional<ProjectRole> existing = permissions.membership(principal.user().id(), invitation.projectId());
            ProjectRole role = existing.filter(current -> current.includes(invitation.role())).orElse(invitation.role());
            ProjectMember member = new ProjectMember(invitation.projectId(), principal.user().id(), principal.user().email(),
                    role, now);
            tx.projects().putMember(member);
            return member;
        });
        record("invitation.accepted", "project", accepted.projectId(), accepted.projectId(), AuditTrail.change("role", accepted.role()));
        return accepted;
    }

    @Override
    public Optional<ProjectRole> roleOf(String projectId) {
        if (system()) {
            return Optional.empty();
        }
        return permissions.membership(principal.user().id(), projectId);
    }

    @Override
    public List<io.ployer.api.access.Environment> environments(String projectId) {
        require(projectId, Action.READ);
        return environments.list(projectId);
    }

    @Override
    public io.ployer.api.access.Environment createEnvironment(String projectId, String name) {
        require(projectId, Action.ADMINISTER);
        io.ployer.api.access.Environment created = environments.create(projectId, name);
        record("environment.created", "project", projectId, projectId, AuditTrail.change("name", name));
        return created;
    }

    @Override
    public void deleteEnvironment(String projectId, String name) {
        require(projectId, Action.ADMINISTER);
        environments.delete(projectId, name);
        record("environment.deleted", "project", projectId, projectId, AuditTrail.change("name", name));
    }

    @Override
    public List<io.ployer.api.access.Environment.Placement> environmentApplications(String projectId, String environment) {
        require(projectId, Action.READ);
        return environments.applications(projectId, environment);
    }

    @Override
    public io.ployer.api.access.Environment.Placement addToEnvironment(String projectId, String environment,
                                                                  String sourceApplicationId, String name, String branch) {
        require(projectId, Action.WRITE);
        if (applications == null) {
            throw new PloyerException(StandardErrorCode.INVALID_STATE, "this project service cannot create applications");
        }
        io.ployer.api.application.Application created = environments.add(applications, projectId, environment, sourceApplicationId,
                name, branch);
        record("environment.application-added", "application", created.id(), projectId, AuditTrail.change("environment", environment,
                "source_application_id", sourceApplicationId, "name", name, "branch", created.branch()));
        return new io.ployer.api.access.Environment.Placement(created.id(), environment, sourceApplicationId);
    }

    @Override
    public io.ployer.api.access.Environment.Placement placement(String applicationId) {
        io.ployer.api.application.Application application = (applicationId == null || applicationId.length() > 64
                ? Optional.<io.ployer.api.application.Application>empty() : storage.applications().findById(applicationId))
                .filter(app -> system() || permissions.maySee(principal, app.projectId()))
                .orElseThrow(() -> PloyerException.notFound("application", applicationId));
        return environments.placement(application);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
