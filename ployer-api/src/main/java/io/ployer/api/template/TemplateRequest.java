package io.ployer.api.template;

/**
 * How to instantiate a template.
 *
 * @param name       prefix of what is created ({@code [a-z0-9][a-z0-9-]*}): service {@code web} of instance {@code blog}
 *                   becomes {@code blog-web}
 * @param projectId  the project, or {@code null} for {@code default}
 */
public record TemplateRequest(String name, String projectId) {
}
