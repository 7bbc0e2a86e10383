package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ployer.server.ServerFixture.Answer;
import io.ployer.spi.PloyerPlugin;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: a plugin jar dropped into the data directory's {@code plugins/} folder is loaded in a
 * class loader of its own (it sees the API, not the engine nor the server's Jackson), listed by
 * {@code GET /plugins} with its version and location; a broken jar is listed as a problem and the
 * server starts all the same.
 */
class PluginsFolderTest {
    @TempDir
    Path work;

    @Test
    void loadsAFolderPluginInIsolationAndReportsABrokenJar() throws Exception {
        Path data = work.resolve("data");
        Path plugins = Files.createDirectories(data.resolve("plugins"));
        compilePlugin(plugins.resolve("acme-build.jar"));
        Files.writeString(plugins.resolve("broken.jar"), "this is not a jar");
        Files.createDirectories(plugins.resolve("proxy-caddy")); // an engine work directory: no jars, not a plugin

        try (ServerFixture server = new ServerFixture(data, Clock.systemUTC(), Map.of())) {
            String admin = server.login("admin@example.com", "admin-password");
            Answer answer = server.get("/plugins", admin);
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            JsonNode acme = null;
            for (JsonNode plugin : answer.json().path("plugins")) {
                if (plugin.path("name").asText().startsWith("acme-")) {
                    acme = plugin;
                }
            }
            assertThat(acme).as(answer.body()).isNotNull();
            // it saw neither the engine nor the server's Jackson: its name says so
            assertThat(acme.path("name").asText()).isEqualTo("acme-sealed");
            assertThat(acme.path("role").asText()).isEqualTo("build");
            assertThat(acme.path("version").asText()).isEqualTo("1.2.3");
            assertThat(acme.path("location").asText()).endsWith("acme-build.jar");
            assertThat(acme.path("active").asBoolean()).isTrue();
            assertThat(answer.json().path("plugins").findValuesAsText("location")).contains("class path");
            JsonNode problems = answer.json().path("problems");
            assertThat(problems).hasSize(1);
            assertThat(problems.get(0).path("location").asText()).endsWith("broken.jar");
            assertThat(problems.get(0).path("problem").asText()).startsWith("it could not be loaded");

            // admins only
            server.send("PUT", "/auth/registration", admin, "{\"open\":true}");
            String user = server.login("user@example.com", "user-password");
            assertThat(server.get("/plugins", user).status()).isEqualTo(403);
        }
    }

    private void compilePlugin(Path jar) throws IOException {
        Path sources = Files.createDirectories(work.resolve("src/acme"));
        Files.writeString(sources.resolve("AcmePlugin.java"), """
                package acme;

                import io.ployer.spi.build.BuildStrategy;
                import io.ployer.spi.build.BuildStrategyFactory;
                import java.util.List;
                import java.util.Map;

                public final class AcmePlugin implements io.ployer.spi.PloyerPlugin {
                    @Override
                    public List<BuildStrategyFactory> buildStrategyFactories() {
                        return List.of(new BuildStrategyFactory() {
                            @Override
                            public String name() {
                                boolean leaky = visible("io.ployer.engine.PloyerEngine")
                                        || visible("com.fasterxml.jackson.databind.ObjectMapper");
                                return leaky ? "acme-leaky" : "acme-sealed";
                            }

                            @Override
                            public BuildStrategy create(Map<String, String> config, io.ployer.spi.plugin.PluginContext context) {
                                return (request, runtime, log, cancellation) -> {
                                    throw new UnsupportedOperationException("acme builds nothing");
                                };
                            }
                        });
                    }

                    private static boolean visible(String name) {
                        try {
                            Class.forName(name, false, AcmePlugin.class.getClassLoader());
                            return true;
                        } catch (ClassNotFoundException e) {
                            return false;
                        }
                    }
                }
                """);
        Path classes = Files.createDirectories(work.resolve("classes"));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        String api = Path.of(PloyerPlugin.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
        int status = compiler.run(null, null, null, "-d", classes.toString(), "-cp", api, "--release", "17",
                sources.resolve("AcmePlugin.java").toString());
        assertThat(status).isZero();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, "1.2.3");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry("META-INF/services/io.ployer.spi.PloyerPlugin"));
            out.write("acme.AcmePlugin\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            List<Path> compiled = new ArrayList<>();
            try (Stream<Path> walk = Files.walk(classes)) {
                walk.filter(Files::isRegularFile).forEach(compiled::add);
            }
            for (Path path : compiled) {
                out.putNextEntry(new JarEntry(classes.relativize(path).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(path));
                out.closeEntry();
            }
        }
    }
}
