package io.ployer.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each architecture rule, run on deliberately violating fixtures, reports them: the rules can fail. */
class ArchitectureRulesCatchViolationsTest {
    static final String FIXTURES = "io.ployer.architecture.fixtures";
    static JavaClasses fixtures;

    @BeforeAll
    static void importFixtures() {
        fixtures = new ClassFileImporter().importPackages(FIXTURES);
    }

    private static String report(ArchRule rule) {
        EvaluationResult result = rule.evaluate(fixtures);
        assertThat(result.hasViolation()).as("rule must report the fixture violation: " + rule.getDescription()).isTrue();
        return String.join("\n", result.getFailureReport().getDetails());
    }

    @Test
    void apiRuleCatchesAThirdPartyType() {
        String report = report(ArchitectureRules.apiDependsOnlyOnTheJdk(FIXTURES + ".api", FIXTURES + ".spi"));
        assertThat(report).contains("LeakyApiType").contains("ObjectMapper").doesNotContain("CleanApiType");
    }

    @Test
    void pluginRuleCatchesAnotherPluginAndTheEngine() {
        String report = report(ArchitectureRules.pluginsAreIsolated(FIXTURES + ".plugin", FIXTURES + ".engine", FIXTURES + ".server"));
        assertThat(report).contains("UsesOtherPlugin").contains("UsesEngine").doesNotContain("AlphaHelperless");
    }

    @Test
    void engineRuleCatchesAPluginClass() {
        String report = report(ArchitectureRules.engineUsesNoPluginOrServer(FIXTURES + ".engine", FIXTURES + ".plugin", FIXTURES + ".server"));
        assertThat(report).contains("UsesJaxrs").contains("BetaThing");
    }

    @Test
    void cycleRuleCatchesACycleBetweenFeatures() {
        String report = report(ArchitectureRules.engineFeaturesAreFreeOfCycles(FIXTURES + ".engine"));
        assertThat(report).contains("CycleStart").contains("UsesHidden");
    }

    @Test
    void internalRuleCatchesUseFromAnotherFeatureOnly() {
        String report = report(ArchitectureRules.internalPackagesStayInsideTheirFeature(FIXTURES));
        assertThat(report).contains("UsesHidden").doesNotContain("CycleStart uses");
    }

    @Test
    void webStackRuleCatchesJaxrsOutsideTheServer() {
        assertThat(report(ArchitectureRules.webStackOnlyInTheServer(FIXTURES, FIXTURES + ".server"))).contains("UsesJaxrs");
    }

    @Test
    void staticStateRuleCatchesMutableStaticsButNotConstants() {
        String report = report(ArchitectureRules.noStaticMutableState(FIXTURES));
        assertThat(report).contains("GlobalCounter.count").contains("GlobalCounter.CACHE").doesNotContain("CONSTANT");
    }

    @Test
    void layerRuleCatchesAUtilPackage() {
        assertThat(report(ArchitectureRules.noLayerPackages(FIXTURES))).contains("StringHelpers");
    }

    @Test
    void printingRuleCatchesSystemOut() {
        assertThat(report(ArchitectureRules.onlyCommandLinesPrint(FIXTURES, FIXTURES + ".server"))).contains("Chatty");
    }
}
