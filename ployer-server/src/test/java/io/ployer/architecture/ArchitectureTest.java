package io.ployer.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The rules of DESIGN.md §1 hold for the production code of every module on this class path. */
class ArchitectureTest {
    static JavaClasses production;

    @BeforeAll
    static void importProduction() {
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("/architecture/fixtures/"))
                .importPackages("io.ployer");
    }

    @Test
    void seesTheProductionCodeOfEveryModule() {
        for (String type : java.util.List.of("io.ployer.api.Ployer", "io.ployer.spi.PloyerPlugin", "io.ployer.engine.EngineBuilder",
                "io.ployer.plugin.sqlite.SqlitePlugin", "io.ployer.plugin.docker.DockerPlugin", "io.ployer.plugin.caddy.CaddyPlugin",
                "io.ployer.server.Main")) {
            org.assertj.core.api.Assertions.assertThat(production.contain(type)).as(type).isTrue();
        }
        org.assertj.core.api.Assertions.assertThat(production.contain("io.ployer.architecture.fixtures.state.GlobalCounter")).isFalse();
    }

    @Test
    void apiAndSpiUseTheJdkOnly() {
        ArchitectureRules.apiDependsOnlyOnTheJdk("io.ployer.api", "io.ployer.spi").check(production);
    }

    @Test
    void pluginsAreIsolated() {
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

    @Test
    void onlyCommandLinesPrint() {
        ArchitectureRules.onlyCommandLinesPrint("io.ployer", "io.ployer.server", "io.ployer.examples", "io.ployer.testkit")
                .check(production);
    }
}
