package io.ployer.engine.access;

import io.ployer.api.PloyerException;
import io.ployer.api.access.Environment;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationService;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.spi.storage.Storage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A project's environments and where its applications are. Access is checked by the caller
 * ({@link DefaultProjectService}); applications are created through the caller's own
 * {@link ApplicationService}, so its rules (and a principal's role) apply to the new application.
 */
final class ProjectEnvironments {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private final Storage storage;
    private final Clock clock;

    ProjectEnvironments(Storage storage, Clock clock) {
        this.storage = storage;
        this.clock = clock;
    }

    List<Environment> list(String projectId) {
        List<Environment> stored = new ArrayList<>(storage.projects().environments(projectId));
        if (stored.stream().noneMatch(environment -> environment.name().equals(Environment.PRODUCTION))) {
            stored.add(new Environment(projectId, Environment.PRODUCTION,
                    storage.projects().find(projectId).map(io.ployer.api.access.Project::createdAt).orElse(clock.instant())));
        }
        stored.sort(Comparator.comparing(Environment::name));
        return List.copyOf(stored);
    }

    Environment require(String projectId, String name) {
        return list(projectId).stream().filter(environment -> environment.name().equals(name)).findFirst()
                .orElseThrow(() -> PloyerException.notFound("environment", name));
    }

    Environment create(String projectId, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw PloyerException.invalid("name", "must be a DNS label: lower-case letters, digits and inner hyphens, 1 to 63 characters");
        }
        Environment environment = new Environment(projectId, name, clock.instant());
        return storage.inTransaction(tx -> {
            if (name.equals(Environment.PRODUCTION)
                    || tx.projects().environments(projectId).stream().anyMatch(existing -> existing.name().equals(name))) {
                throw PloyerException.conflict("name", "the project already has an environment named '" + name + "'");
            }
            tx.projects().insertEnvironment(environment);
            return environment;
        });
    }

    void delete(String projectId, String name) {
        if (Environment.PRODUCTION.equals(name)) {
            throw PloyerException.invalid("name", "the production environment cannot be deleted");
        }
        require(projectId, name);
        storage.inTransaction(tx -> {
            int held = tx.projects().placements(projectId, name).size();
            if (held > 0) {
                throw PloyerException.conflict("name", "the environment still holds " + held
                        + " application(s): delete them first");
            }
            tx.projects().deleteEnvironment(projectId, name);
            return null;
        });
    }

    List<Environment.Placement> applications(String projectId, String name) {
        require(projectId, name);
        return storage.projects().placements(projectId, name);
    }

    Environment.Placement placement(Application application) {
        return storage.projects().placement(application.id())
                .orElse(new Environment.Placement(application.id(), Environment.PRODUCTION, null));
    }

    Application add(ApplicationService applications, String projectId, String environment, String sourceApplicationId,
                    String name, String branch) {
        require(projectId, environment);
        if (sourceApplicationId == null || sourceApplicationId.isBlank()) {
            throw PloyerException.invalid("source_application_id", "is required: the application whose git settings to share");
        }
        Application source = applications.find(sourceApplicationId).filter(app -> app.projectId().equals(projectId))
                .orElseThrow(() -> PloyerException.invalid("source_application_id", "must name an application of this project"));
        // Share with the root: a counterpart of a counterpart shares the original's settings.
        String rootId = placement(source).sourceApplicationId() != null ? placement(source).sourceApplicationId() : source.id();
        Application root = rootId.equals(source.id()) ? source : applications.get(rootId);
        if (placement(root).environment().equals(environment)) {
            throw PloyerException.invalid("environment", "the source application is already in " + environment
                    + ": a counterpart goes into another environment");
        }
        Application created = applications.create(new ApplicationSpec(name, root.serverId(), root.gitUrl(),
                branch == null || branch.isBlank() ? root.branch() : branch, root.buildStrategy(), root.buildConfig(), root.port(),
                root.autoDeploy(), root.limits(), root.restartPolicy(), projectId));
        try {
            storage.projects().putPlacement(new Environment.Placement(created.id(), environment, root.id()));
        } catch (RuntimeException e) {
            applications.delete(created.id());
            throw e;
        }
        return created;
    }
}
