package io.ployer.api.template;

import io.ployer.api.application.Application;
import io.ployer.api.database.Database;
import java.util.List;

/**
 * What instantiating a template created. Secrets are never part of it.
 *
 * @param template      the template
 * @param name          the instance's name
 * @param databases     databases created
 * @param applications  applications created
 * @param deployments   the deployments started, one per application
 */
public record TemplateInstance(String template, String name, List<Database> databases, List<Application> applications,
                               List<String> deployments) {
    public TemplateInstance {
        databases = List.copyOf(databases);
        applications = List.copyOf(applications);
        deployments = List.copyOf(deployments);
    }
}
