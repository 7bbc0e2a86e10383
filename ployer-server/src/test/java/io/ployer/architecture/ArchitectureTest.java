package io.ployer.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules of DESIGN.md §1 hold for the production code of every module on this class path (the
 * server's, which holds the API, the engine, every plugin, the test kit and the examples).
 */
class ArchitectureTest {
    /** Modules this test cannot see, and why. */
    private static final List<String> UNSEEN_MODULES = List.of(
            "bench"); // depends on the server, so the server cannot have it on its class path

    static JavaClasses production;

    @BeforeAll
    static void importProduction() {
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // test jars (the Caddy plugin's CaddyProcess) are test code too
                .withImportOption(location -> !location.contains("-tests.jar") && !location.contains("/test-classes/"))
                .importPackages("io.ployer");
    }

    @Test
    void seesTheProductionCodeOfEveryModuleAndNoTestCode() throws IOException {
        Path repository = Path.of("").toAbsolutePath().getParent();
        List<Path> sourceRoots;
        try (Stream<Path> paths = Files.walk(repository, 5)) {
            sourceRoots = paths.filter(path -> path.endsWith(Path.of("src", "main", "java")))
                    .filter(path -> !path.toString().contains("/target/"))
                    .filter(path -> !UNSEEN_MODULES.contains(repository.relativize(path).getName(0).toString()))
                    // a third-party plugin built outside the reactor against the published artifacts
                    .filter(path -> !repository.relativize(path).startsWith(Path.of("ployer-examples", "nginx-proxy-plugin")))
                    .collect(Collectors.toList());
        }
        assertThat(sourceRoots).as("modules found under " + repository).hasSizeGreaterThanOrEqualTo(5);
        for (Path sourceRoot : sourceRoots) {
            Optional<String> someClass = someClassIn(sourceRoot);
            someClass.ifPresent(name -> assertThat(production.contain(name))
                    .as("%s (module %s) must be on ployer-server's test class path", name, repository.relativize(sourceRoot))
                    .isTrue());
        }
        assertThat(production.contain(ArchitectureTest.class.getName())).isFalse();
        assertThat(production.contain("io.ployer.architecture.fixtures.state.GlobalCounter")).isFalse();
    }

    private static Optional<String> someClassIn(Path sourceRoot) throws IOException {
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".java"))
                    .filter(file -> !file.getFileName().toString().equals("package-info.java")
                            && !file.getFileName().toString().equals("module-info.java"))
                    .sorted().findFirst()
                    .map(file -> sourceRoot.relativize(file).toString().replace('/', '.').replaceAll("\\.java$", ""));
        }
    }

    @Test
    void apiAndSpiUseTheJdkOnly() {
        ArchitectureRules.apiDependsOnlyOnTheJdk("io.ployer.api", "io.ployer.spi").check(production);
    }

    @Test
    void pluginsUseNoEngineServerOrOtherPlugin() {
        ArchitectureRules.pluginsAreIsolated("io.ployer.plugin", "io.ployer.engine", "io.ployer.server").check(production);
    }

    @Test
    void theEngineNamesNoPluginAndNoServerClass() {
        ArchitectureRules.engineUsesNoPluginOrServer("io.ployer.engine", "io.ployer.plugin", "io.ployer.server").check(production);
    }

    @Test
    void engineFeaturesHaveNoCycles() {
        ArchitectureRules.engineFeaturesAreFreeOfCycles("io.ployer.engine").check(production);
    }

    @Test
    void theEngineRootPackageAndItsFeaturesHaveNoCycles() {
        ArchitectureRules.enginePackagesAreFreeOfCycles("io.ployer.engine").check(production);
    }

    @Test
    void everyPackageOfTheEngineIsFreeOfCycles() {
        ArchitectureRules.everyPackageIsFreeOfCycles("io.ployer.engine").check(production);
    }

    @Test
    void everyPackageOfTheServerIsFreeOfCycles() {
        ArchitectureRules.everyPackageIsFreeOfCycles("io.ployer.server").check(production);
    }

    /** The SPI's root (PloyerPlugin, naming every role) and its role packages, which share io.ployer.spi.plugin. */
    @Test
    void everyPackageOfTheApiAndTheSpiIsFreeOfCycles() {
        ArchitectureRules.everyPackageIsFreeOfCycles("io.ployer.spi").check(production);
        ArchitectureRules.everyPackageIsFreeOfCycles("io.ployer.api").check(production);
    }

    /** The server compiles against the API and the server seam (ployer-server-seam), no engine class. */
    @Test
    void theServerNamesNoEngineClass() {
        ArchitectureRules.serverUsesNoEngineClass("io.ployer.server", "io.ployer.engine").check(production);
    }

    @Test
    void theApiNeverUsesTheSpi() {
        ArchitectureRules.apiNeverUsesTheSpi("io.ployer.api", "io.ployer.spi").check(production);
    }

    @Test
    void internalPackagesStayInsideTheirFeature() {
        ArchitectureRules.internalPackagesStayInsideTheirFeature("io.ployer").check(production);
    }

    @Test
    void theWebStackStaysInTheServer() {
        ArchitectureRules.webStackOnlyInTheServer("io.ployer", "io.ployer.server").check(production);
    }

    @Test
    void thereIsNoStaticMutableState() {
        ArchitectureRules.noStaticMutableState("io.ployer").check(production);
    }

    @Test
    void packagesAreNamedByFeature() {
        ArchitectureRules.noLayerPackages("io.ployer").check(production);
    }

    /**
     * The server's command line prints; so do the example program (a command line of its own) and
     * the test kit, whose skip notice must show in a build's output when Docker or Caddy is absent.
     * Neither is library code an embedder runs.
     */
    @Test
    void onlyCommandLinesPrint() {
        ArchitectureRules.onlyCommandLinesPrint("io.ployer", "io.ployer.server", "io.ployer.examples", "io.ployer.testkit")
                .check(production);
    }
}
