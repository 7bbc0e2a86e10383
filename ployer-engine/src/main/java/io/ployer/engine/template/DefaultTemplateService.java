package io.ployer.engine.template;

import io.ployer.api.PloyerException;
import io.ployer.api.access.Project;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationService;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.application.VolumeService;
import io.ployer.api.application.VolumeSpec;
import io.ployer.api.database.Database;
import io.ployer.api.database.DatabaseEngine;
import io.ployer.api.database.DatabaseService;
import io.ployer.api.database.DatabaseSpec;
import io.ployer.api.deployment.DeploymentRequest;
import io.ployer.api.deployment.DeploymentService;
import io.ployer.api.template.ServiceTemplate;
import io.ployer.api.template.TemplateInstance;
import io.ployer.api.template.TemplateRequest;
import io.ployer.api.template.TemplateService;
import io.ployer.engine.compose.ComposeFile;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Instantiates templates with the services that exist today: a database service becomes a Ployer
 * database, any other service an application deploying its image (its {@code command}, first
 * {@code expose}d port, environment with the generated secrets, named volumes, links to the
 * databases it depends on). The services it is given decide who may do this: the engine's own, or a
 * principal's guarded ones. What was created is removed again when a later step fails.
 */
public final class DefaultTemplateService implements TemplateService {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultTemplateService.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}");

    private final TemplateCatalogue catalogue;
    private final ApplicationService applications;
    private final DatabaseService databases;
    private final DeploymentService deployments;
    private final VolumeService volumes;
    private final Consumer<String> projectCheck;

    /**
     * @param databases    the databases, or {@code null} when this Ployer runs none (templates with a database then fail)
     * @param projectCheck called with the project id before anything else is looked at (a principal's view
     *                     checks there that the caller may create in it)
     */
    public DefaultTemplateService(TemplateCatalogue catalogue, ApplicationService applications, DatabaseService databases,
                                  DeploymentService deployments, VolumeService volumes, Consumer<String> projectCheck) {
        this.catalogue = catalogue;
        this.applications = applications;
        this.databases = databases;
        this.deployments = deployments;
        this.volumes = volumes;
        this.projectCheck = projectCheck;
    }

    /** The same catalogue acting through other services (a principal's view). */
    public DefaultTemplateService actingThrough(ApplicationService otherApplications, DatabaseService otherDatabases,
                                                DeploymentService otherDeployments, VolumeService otherVolumes,
                                                Consumer<String> otherProjectCheck) {
        return new DefaultTemplateService(catalogue, otherApplications, otherDatabases, otherDeployments, otherVolumes,
                otherProjectCheck);
    }

    @Override
    public List<ServiceTemplate> list() {
        return catalogue.list();
    }

    @Override
    public ServiceTemplate get(String name) {
        return catalogue.find(name).map(TemplateCatalogue.Loaded::template)
                .orElseThrow(() -> PloyerException.notFound("template", name));
    }

    @Override
    public TemplateInstance instantiate(String template, TemplateRequest request) {
        String projectId = request == null || request.projectId() == null ? Project.DEFAULT_ID : request.projectId();
        projectCheck.accept(projectId);
        TemplateCatalogue.Loaded loaded = catalogue.find(template).orElseThrow(() -> PloyerException.notFound("template", template));
        if (request == null || request.name() == null || !TemplateCatalogue.NAME.matcher(request.name()).matches()) {
            throw PloyerException.invalid("name", "the name must be 1 to 41 lower-case letters, digits or dashes, starting with a"
                    + " letter or digit");
        }
        Map<String, String> secrets = new LinkedHashMap<>();
        for (String secret : loaded.template().secrets()) {
            byte[] bytes = new byte[24];
            RANDOM.nextBytes(bytes);
            secrets.put(secret, HexFormat.of().formatHex(bytes));
        }
        if (!loaded.databases().isEmpty() && databases == null) {
            throw new PloyerException(io.ployer.api.StandardErrorCode.INVALID_STATE, "template " + template
                    + " needs databases, and this Ployer runs none (they need a container runtime)");
        }
        List<Database> createdDatabases = new ArrayList<>();
        List<Application> createdApplications = new ArrayList<>();
        try {
            Map<String, Database> byService = new LinkedHashMap<>();
            for (Map.Entry<String, DatabaseEngine> entry : loaded.databases().entrySet()) {
                ComposeFile.Service service = loaded.compose().services().get(entry.getKey());
                String tag = tag(image(loaded, service.name()));
                Database database = databases.create(new DatabaseSpec(request.name() + "-" + service.name(), entry.getValue(), tag,
                        null, false, null, projectId, null));
                createdDatabases.add(database);
                byService.put(service.name(), database);
            }
            List<String> deploymentIds = new ArrayList<>();
            for (ComposeFile.Service service : loaded.compose().services().values()) {
                if (byService.containsKey(service.name())) {
                    continue;
                }
                Application application = createApplication(request.name(), projectId, service, image(loaded, service.name()),
                        secrets, byService);
                createdApplications.add(application);
            }
            for (Application application : createdApplications) {
                deploymentIds.add(deployments.deploy(DeploymentRequest.of(application.id())).id());
            }
            LOG.info("template {} instantiated as {}: {} database(s), {} application(s)", template, request.name(),
                    createdDatabases.size(), createdApplications.size());
            return new TemplateInstance(template, request.name(), createdDatabases, createdApplications, deploymentIds);
        } catch (RuntimeException e) {
            undo(createdApplications, createdDatabases);
            throw e;
        }
    }

    /** The image a service runs: the template's, or the one the {@code templates.images} setting puts in its place. */
    private static String image(TemplateCatalogue.Loaded loaded, String service) {
        return loaded.template().services().stream().filter(candidate -> candidate.name().equals(service)).findFirst()
                .map(ServiceTemplate.Service::image).orElseThrow();
    }

    private Application createApplication(String instance, String projectId, ComposeFile.Service service, String image,
                                          Map<String, String> secrets, Map<String, Database> databasesByService) {
        Map<String, String> buildConfig = new LinkedHashMap<>();
        buildConfig.put("image", image);
        if (service.command() != null && !service.command().isEmpty()) {
            buildConfig.put("command", jsonArray(service.command()));
        }
        ApplicationSpec spec = ApplicationSpec.named(instance + "-" + service.name()).withBuild("image", buildConfig);
        if (!service.expose().isEmpty()) {
            spec = spec.withPort(service.expose().get(0));
        }
        Application application = applications.create(spec.inProject(projectId));
        for (Map.Entry<String, String> variable : service.environment().entrySet()) {
            if (variable.getValue() != null) {
                applications.setEnvVar(application.id(), variable.getKey(), interpolate(variable.getValue(), secrets), false);
            }
        }
        for (ComposeFile.Mount mount : service.volumes()) {
            if (mount.kind() == ComposeFile.Mount.Kind.VOLUME) {
                volumes.addVolume(application.id(), VolumeSpec.named(mount.source(), mount.target()));
            }
        }
        for (String dependency : service.dependsOn().keySet()) {
            Database database = databasesByService.get(dependency);
            if (database != null) {
                databases.link(application.id(), database.id(), dependency.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"));
            }
        }
        return application;
    }

    private void undo(List<Application> createdApplications, List<Database> createdDatabases) {
        for (Application application : createdApplications) {
            try {
                volumes.deleteApplication(application.id(), true);
            } catch (RuntimeException e) {
                LOG.warn("could not remove application {} of a failed template: {}", application.name(), e.getMessage());
            }
        }
        for (Database database : createdDatabases) {
            try {
                databases.delete(database.id(), true);
            } catch (RuntimeException e) {
                LOG.warn("could not remove database {} of a failed template: {}", database.name(), e.getMessage());
            }
        }
    }

    /** {@code ${NAME}} of a generated secret replaced by its value; other text as written. */
    static String interpolate(String value, Map<String, String> secrets) {
        Matcher matcher = REFERENCE.matcher(value);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String secret = secrets.get(matcher.group(1));
            matcher.appendReplacement(result, Matcher.quoteReplacement(secret == null ? matcher.group() : secret));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    /** The image's tag, or {@code null} when it names none (the engine's default version). */
    static String tag(String image) {
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(colon + 1) : null;
    }

    static String jsonArray(List<String> values) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append('"');
            for (char c : values.get(i).toCharArray()) {
                switch (c) {
                    case '"' -> json.append("\\\"");
                    case '\\' -> json.append("\\\\");
                    default -> {
                        if (c < 0x20) {
                            json.append(String.format("\\u%04x", (int) c));
                        } else {
                            json.append(c);
                        }
                    }
                }
            }
            json.append('"');
        }
        return json.append(']').toString();
    }
}
