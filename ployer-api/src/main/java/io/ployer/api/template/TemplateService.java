package io.ployer.api.template;

import java.util.List;

/**
 * One-click services: templates defined as data (Compose files with Ployer's {@code x-ployer-*}
 * extensions), instantiated into the applications and databases Ployer runs, with generated secrets.
 * Failures are {@link io.ployer.api.PloyerException}s: INVALID_ARGUMENT naming the field, NOT_FOUND.
 */
public interface TemplateService {

    /** The catalogue, by name. */
    List<ServiceTemplate> list();

    /** One template; NOT_FOUND when the catalogue has none of that name. */
    ServiceTemplate get(String name);

    /**
     * Creates what the template describes in the request's project: a database per database service, an
     * application per other service (its generated secrets as secret variables, linked to the databases it
     * depends on, its named volumes), and starts a deployment of each application.
     */
    TemplateInstance instantiate(String template, TemplateRequest request);
}
