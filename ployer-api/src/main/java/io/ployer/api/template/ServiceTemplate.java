package io.ployer.api.template;

import java.util.List;

/**
 * A template of the catalogue.
 *
 * @param name         its name (the file name without {@code .yaml})
 * @param title        a short title for people
 * @param description  what it gives, a sentence or two
 * @param services     what an instance is made of
 * @param secrets      the secrets generated for each instance (names of variables)
 */
public record ServiceTemplate(String name, String title, String description, List<Service> services, List<String> secrets) {
    public ServiceTemplate {
        services = List.copyOf(services);
        secrets = List.copyOf(secrets);
    }

    /**
     * One service of a template.
     *
     * @param name      its key under {@code services}
     * @param kind      {@code database} (run as a Ployer database of {@code engine}) or {@code application}
     * @param image     the image it runs (for a database: the engine's image and version)
     * @param engine    the database engine ({@code postgresql}, {@code redis}, …), or {@code null} for an application
     * @param port      the port an application listens on, or {@code null}
     */
    public record Service(String name, String kind, String image, String engine, Integer port) {
    }
}
