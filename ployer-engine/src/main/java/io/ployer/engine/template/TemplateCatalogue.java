package io.ployer.engine.template;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.database.DatabaseEngine;
import io.ployer.api.template.ServiceTemplate;
import io.ployer.engine.compose.ComposeFile;
import io.ployer.engine.compose.ComposeParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The templates of one-click services, as data: Compose files (parsed by {@link ComposeParser}, so that
 * one runs as a Compose application once those land) with Ployer's extensions,
 * <ul>
 *   <li>{@code x-ployer-template}: {@code title}, {@code description}, and {@code secrets}, the variables
 *       generated per instance (referred to as {@code ${NAME}} in environment values);</li>
 *   <li>{@code x-ployer-database: <engine>} on a service: run it as a Ployer database of that engine (its
 *       image's tag is the version), with generated credentials, backups and links; a service that
 *       {@code depends_on} it is linked to it (variables {@code <SERVICE>_URL}, {@code _HOST}, …).</li>
 * </ul>
 * The bundled ones are listed in {@code io/ployer/engine/templates/catalogue.txt}; every {@code *.yaml} of
 * the data directory's {@code templates} folder is one more (or replaces a bundled one of its name).
 */
public final class TemplateCatalogue {
    private static final Logger LOG = LoggerFactory.getLogger(TemplateCatalogue.class);
    private static final String BUNDLED = "io/ployer/engine/templates/";
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,40}");
    private static final Pattern VARIABLE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

    /** A template with its parsed Compose file and the services that are databases (service → engine). */
    record Loaded(ServiceTemplate template, ComposeFile compose, Map<String, DatabaseEngine> databases) {
    }

    private final Map<String, Loaded> templates;

    private TemplateCatalogue(Map<String, Loaded> templates) {
        this.templates = java.util.Collections.unmodifiableMap(new TreeMap<>(templates));
    }

    /** The bundled templates and those of {@code directory} (which need not exist). */
    public static TemplateCatalogue load(Path directory) {
        return load(directory, Map.of());
    }

    /**
     * The bundled templates and those of {@code directory}, with {@code images} ({@code <template>.<service>}
     * to an image, the {@code templates.images} setting) replacing what the templates name.
     */
    public static TemplateCatalogue load(Path directory, Map<String, String> images) {
        Map<String, Loaded> all = new TreeMap<>();
        ClassLoader loader = TemplateCatalogue.class.getClassLoader();
        try (InputStream index = loader.getResourceAsStream(BUNDLED + "catalogue.txt")) {
            if (index != null) {
                for (String line : new String(index.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    String name = line.strip();
                    if (name.isEmpty() || name.startsWith("#")) {
                        continue;
                    }
                    try (InputStream file = loader.getResourceAsStream(BUNDLED + name + ".yaml")) {
                        if (file == null) {
                            throw new IllegalStateException("the bundled template " + name + " is listed but missing");
                        }
                        all.put(name, parse(name, new String(file.readAllBytes(), StandardCharsets.UTF_8), images));
                    }
                }
            }
        } catch (IOException e) {
            throw new PloyerException(StandardErrorCode.INTERNAL_ERROR, "cannot read the bundled templates", e);
        }
        if (directory != null && Files.isDirectory(directory)) {
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : files.filter(path -> path.getFileName().toString().endsWith(".yaml")).sorted().toList()) {
                    String name = file.getFileName().toString().replaceFirst("\\.yaml$", "");
                    try {
                        all.put(name, parse(name, Files.readString(file), images));
                    } catch (PloyerException | IOException e) {
                        LOG.warn("template {} is left out: {}", file, e.getMessage());
                    }
                }
            } catch (IOException e) {
                LOG.warn("cannot list the templates in {}: {}", directory, e.getMessage());
            }
        }
        return new TemplateCatalogue(all);
    }

    /** Parses one template; INVALID_ARGUMENT with a sentence naming the template and what is wrong. */
    static Loaded parse(String name, String text) {
        return parse(name, text, Map.of());
    }

    private static Loaded parse(String name, String text, Map<String, String> images) {
        if (!NAME.matcher(name).matches()) {
            throw PloyerException.invalid("template", "a template's name must be lower-case letters, digits or dashes: " + name);
        }
        ComposeFile compose = ComposeParser.parse(text, name + ".yaml");
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50);
        Object raw = new Yaml(new SafeConstructor(options)).load(text);
        Map<?, ?> root = raw instanceof Map<?, ?> map ? map : Map.of();
        Map<?, ?> meta = root.get("x-ployer-template") instanceof Map<?, ?> map ? map : Map.of();
        List<String> secrets = new ArrayList<>();
        if (meta.get("secrets") instanceof List<?> list) {
            for (Object secret : list) {
                if (!(secret instanceof String variable) || !VARIABLE.matcher(variable).matches()) {
                    throw PloyerException.invalid("template", name + ": x-ployer-template.secrets must list upper-case variable names");
                }
                secrets.add(variable);
            }
        }
        Map<?, ?> rawServices = root.get("services") instanceof Map<?, ?> map ? map : Map.of();
        Map<String, DatabaseEngine> databases = new java.util.LinkedHashMap<>();
        List<ServiceTemplate.Service> services = new ArrayList<>();
        for (ComposeFile.Service service : compose.services().values()) {
            Map<?, ?> rawService = rawServices.get(service.name()) instanceof Map<?, ?> map ? map : Map.of();
            Object engine = rawService.get("x-ployer-database");
            if (service.image() == null) {
                throw PloyerException.invalid("template", name + ": service " + service.name() + " needs an image (templates build nothing)");
            }
            String image = images.getOrDefault(name + "." + service.name(), service.image());
            if (engine != null) {
                DatabaseEngine parsed = engine(name, service.name(), String.valueOf(engine));
                databases.put(service.name(), parsed);
                services.add(new ServiceTemplate.Service(service.name(), "database", image,
                        parsed.name().toLowerCase(Locale.ROOT), null));
            } else {
                services.add(new ServiceTemplate.Service(service.name(), "application", image, null,
                        service.expose().isEmpty() ? null : service.expose().get(0)));
            }
        }
        for (ComposeFile.Service service : compose.services().values()) {
            for (String dependency : service.dependsOn().keySet()) {
                if (databases.containsKey(service.name())) {
                    throw PloyerException.invalid("template", name + ": database service " + service.name() + " cannot depend on others");
                }
                if (!compose.services().containsKey(dependency)) {
                    throw PloyerException.invalid("template", name + ": service " + service.name() + " depends on " + dependency
                            + ", which the template does not have");
                }
            }
        }
        return new Loaded(new ServiceTemplate(name, string(meta.get("title"), name), string(meta.get("description"), ""),
                services, secrets), compose, databases);
    }

    private static DatabaseEngine engine(String template, String service, String value) {
        try {
            return DatabaseEngine.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw PloyerException.invalid("template", template + ": service " + service + " has x-ployer-database " + value
                    + "; it must be postgresql, mysql, mariadb, redis or mongodb");
        }
    }

    private static String string(Object value, String otherwise) {
        return value == null ? otherwise : String.valueOf(value).strip();
    }

    List<ServiceTemplate> list() {
        return templates.values().stream().map(Loaded::template).toList();
    }

    Optional<Loaded> find(String name) {
        return Optional.ofNullable(name == null ? null : templates.get(name));
    }
}
