package io.ployer.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.ployer.architecture.fixtures.acyclic.first.First;
import io.ployer.architecture.fixtures.acyclic.second.Second;
import io.ployer.architecture.fixtures.api.CleanApiType;
import io.ployer.architecture.fixtures.api.LeakyApiType;
import io.ployer.architecture.fixtures.api.LoggingApiType;
import io.ployer.architecture.fixtures.api.SpiReachingApiType;
import io.ployer.architecture.fixtures.engine.Entry;
import io.ployer.architecture.fixtures.engine.one.CycleStart;
import io.ployer.architecture.fixtures.engine.one.internal.Hidden;
import io.ployer.architecture.fixtures.engine.one.sub.UsesParentInternal;
import io.ployer.architecture.fixtures.engine.three.internalcache.NotInternal;
import io.ployer.architecture.fixtures.engine.two.UsesHidden;
import io.ployer.architecture.fixtures.engine.two.UsesInternalLookingPackage;
import io.ployer.architecture.fixtures.engine.two.UsesJaxrs;
import io.ployer.architecture.fixtures.engine.two.UsesPlugin;
import io.ployer.architecture.fixtures.engine.two.UsesResteasy;
import io.ployer.architecture.fixtures.layers.deep.managers.Pool;
import io.ployer.architecture.fixtures.layers.servicehours.OpeningHours;
import io.ployer.architecture.fixtures.layers.util.StringHelpers;
import io.ployer.architecture.fixtures.nested.outer.Outer;
import io.ployer.architecture.fixtures.nested.outer.inner.Inner;
import io.ployer.architecture.fixtures.output.Chatty;
import io.ployer.architecture.fixtures.output.Complainer;
import io.ployer.architecture.fixtures.output.Quiet;
import io.ployer.architecture.fixtures.output.StackPrinter;
import io.ployer.architecture.fixtures.plugin.alpha.UsesEngine;
import io.ployer.architecture.fixtures.plugin.alpha.UsesOtherPlugin;
import io.ployer.architecture.fixtures.plugin.alpha.UsesOwnPluginOnly;
import io.ployer.architecture.fixtures.plugin.beta.BetaThing;
import io.ployer.architecture.fixtures.plugin.beta.UsesUndertow;
import io.ployer.architecture.fixtures.plugin.gamma.UsesAlpha;
import io.ployer.architecture.fixtures.rootclean.Root;
import io.ployer.architecture.fixtures.rootclean.feature.Feature;
import io.ployer.architecture.fixtures.rootclean.feature.FeatureSettings;
import io.ployer.architecture.fixtures.rootcycle.RootConfig;
import io.ployer.architecture.fixtures.rootcycle.feature.Pipeline;
import io.ployer.architecture.fixtures.seam.Seam;
import io.ployer.architecture.fixtures.server.ServerResource;
import io.ployer.architecture.fixtures.server.UsesEngineEntry;
import io.ployer.architecture.fixtures.server.UsesEngineInternals;
import io.ployer.architecture.fixtures.server.UsesSeam;
import io.ployer.architecture.fixtures.spi.CleanSpiType;
import io.ployer.architecture.fixtures.spi.EngineReachingSpiType;
import io.ployer.architecture.fixtures.state.Color;
import io.ployer.architecture.fixtures.state.Constants;
import io.ployer.architecture.fixtures.state.GlobalCounter;
import io.ployer.architecture.fixtures.webclean.http.Paging;
import io.ployer.architecture.fixtures.webclean.things.ThingResource;
import io.ployer.architecture.fixtures.webclean.wiring.RestApplication;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each architecture rule, run on fixtures that deliberately violate it, reports every violating
 * fixture by name (the rule can fail), and run on the conforming fixtures only, reports nothing
 * (the rule does not cry wolf). The rules are the very builders {@link ArchitectureTest} applies to
 * the production code, given the fixture package roots instead of the real ones.
 */
class ArchitectureRulesCatchViolationsTest {
    static final String FIXTURES = "io.ployer.architecture.fixtures";
    static final String API = FIXTURES + ".api";
    static final String SPI = FIXTURES + ".spi";
    static final String ENGINE = FIXTURES + ".engine";
    static final String PLUGIN = FIXTURES + ".plugin";
    static final String SERVER = FIXTURES + ".server";
    static JavaClasses fixtures;

    @BeforeAll
    static void importFixtures() {
        fixtures = new ClassFileImporter().importPackages(FIXTURES);
    }

    /** Evaluates the rule on every fixture, asserts that it fails, and returns its failure report. */
    private static String violations(ArchRule rule) {
        EvaluationResult result = rule.evaluate(fixtures);
        assertThat(result.hasViolation()).as("rule must report the fixture violations: " + rule.getDescription()).isTrue();
        return String.join("\n", result.getFailureReport().getDetails());
    }

    /** Asserts that the rule, evaluated on the given fixtures (and their nested classes) only, passes. */
    private static void conforming(ArchRule rule, Class<?>... conformingFixtures) {
        Set<String> names = Arrays.stream(conformingFixtures).map(Class::getName).collect(Collectors.toSet());
        JavaClasses subset = fixtures.that(DescribedPredicate.describe("conforming fixtures",
                (JavaClass type) -> names.contains(type.getName()) || names.stream().anyMatch(name -> type.getName().startsWith(name + "$"))));
        assertThat(subset).hasSizeGreaterThanOrEqualTo(conformingFixtures.length);
        EvaluationResult result = rule.evaluate(subset);
        assertThat(result.hasViolation()).as("conforming fixtures must pass, but: %s", result.getFailureReport().getDetails()).isFalse();
    }

    @Test
    void apiRuleCatchesThirdPartyAndNonApiPloyerTypes() {
        ArchRule rule = ArchitectureRules.apiDependsOnlyOnTheJdk(API, SPI);
        assertThat(violations(rule))
                .contains(LeakyApiType.class.getName(), "com.fasterxml.jackson.databind.ObjectMapper")
                .contains(LoggingApiType.class.getName(), "org.slf4j.Logger")
                .contains(EngineReachingSpiType.class.getName(), CycleStart.class.getName());
        conforming(rule, CleanApiType.class, CleanSpiType.class);
    }

    @Test
    void pluginRuleCatchesEngineServerAndOtherPluginsIncludingAPluginItDoesNotName() {
        ArchRule rule = ArchitectureRules.pluginsAreIsolated(PLUGIN, ENGINE, SERVER);
        assertThat(violations(rule))
                .contains("plugin 'alpha'", UsesOtherPlugin.class.getName(), BetaThing.class.getName())
                .contains(UsesEngine.class.getName())
                .contains("plugin 'beta'", io.ployer.architecture.fixtures.plugin.beta.UsesServer.class.getName())
                .contains("plugin 'gamma'", UsesAlpha.class.getName());
        conforming(rule, UsesOwnPluginOnly.class, BetaThing.class);
    }

    @Test
    void engineRuleCatchesPluginAndServerClasses() {
        ArchRule rule = ArchitectureRules.engineUsesNoPluginOrServer(ENGINE, PLUGIN, SERVER);
        assertThat(violations(rule))
                .contains(UsesPlugin.class.getName())
                .contains(io.ployer.architecture.fixtures.engine.two.UsesServer.class.getName(), ServerResource.class.getName());
        conforming(rule, CycleStart.class, Hidden.class, UsesParentInternal.class);
    }

    @Test
    void cycleRuleCatchesACycleBetweenFeatures() {
        assertThat(violations(ArchitectureRules.engineFeaturesAreFreeOfCycles(ENGINE)))
                .contains(CycleStart.class.getName(), UsesHidden.class.getName());
        conforming(ArchitectureRules.engineFeaturesAreFreeOfCycles(FIXTURES + ".acyclic"), First.class, Second.class);
    }

    @Test
    void cycleRuleWithTheRootPackageCatchesACycleThroughIt() {
        String root = FIXTURES + ".rootcycle";
        // Rule 4a alone does not see it: the root package is no slice there.
        conforming(ArchitectureRules.engineFeaturesAreFreeOfCycles(root), RootConfig.class, Pipeline.class);
        assertThat(violations(ArchitectureRules.enginePackagesAreFreeOfCycles(root)))
                .contains(RootConfig.class.getName(), Pipeline.class.getName());
        conforming(ArchitectureRules.enginePackagesAreFreeOfCycles(FIXTURES + ".rootclean"), Root.class, Feature.class,
                FeatureSettings.class);
    }

    @Test
    void apiDirectionRuleCatchesAnApiTypeNamingTheSpi() {
        ArchRule rule = ArchitectureRules.apiNeverUsesTheSpi(API, SPI);
        assertThat(violations(rule)).contains(SpiReachingApiType.class.getName(), CleanSpiType.class.getName());
        conforming(rule, CleanApiType.class, CleanSpiType.class);
    }

    @Test
    void everyPackageCycleRuleCatchesWiringInsideAHelperPackage() {
        String cycle = FIXTURES + ".webcycle";
        // The server's old shape: http wires the resources, which use http's helpers.
        assertThat(violations(ArchitectureRules.everyPackageIsFreeOfCycles(cycle)))
                .contains(cycle + ".http.RestApplication", cycle + ".things.ThingResource", cycle + ".http.Paging");
        conforming(ArchitectureRules.everyPackageIsFreeOfCycles(FIXTURES + ".webclean"), RestApplication.class, ThingResource.class,
                Paging.class);
    }

    @Test
    void everyPackageCycleRuleCatchesWhatFeatureSlicesMiss() {
        String nested = FIXTURES + ".nested";
        // Rules 4a and 4c slice by feature: a feature and its sub-package are one slice to them.
        conforming(ArchitectureRules.engineFeaturesAreFreeOfCycles(nested), Outer.class, Inner.class);
        conforming(ArchitectureRules.enginePackagesAreFreeOfCycles(nested), Outer.class, Inner.class);
        assertThat(violations(ArchitectureRules.everyPackageIsFreeOfCycles(nested)))
                .contains(Outer.class.getName(), Inner.class.getName());
        // … and the root package is a slice too.
        assertThat(violations(ArchitectureRules.everyPackageIsFreeOfCycles(FIXTURES + ".rootcycle")))
                .contains(RootConfig.class.getName(), Pipeline.class.getName());
        conforming(ArchitectureRules.everyPackageIsFreeOfCycles(FIXTURES + ".rootclean"), Root.class, Feature.class, FeatureSettings.class);
    }

    @Test
    void serverEngineRuleCatchesAnyEngineClassButNotTheSeam() {
        ArchRule rule = ArchitectureRules.serverUsesNoEngineClass(SERVER, ENGINE);
        assertThat(violations(rule)).contains(UsesEngineInternals.class.getName(), CycleStart.class.getName())
                .contains(UsesEngineEntry.class.getName(), Entry.class.getName());
        conforming(rule, UsesSeam.class, Seam.class, ServerResource.class);
    }

    @Test
    void internalRuleCatchesUseFromAnotherFeatureButNotFromInsideIt() {
        ArchRule rule = ArchitectureRules.internalPackagesStayInsideTheirFeature(FIXTURES);
        assertThat(violations(rule)).contains(UsesHidden.class.getName(), "internal to " + ENGINE + ".one");
        conforming(rule, CycleStart.class, Hidden.class, UsesParentInternal.class, UsesInternalLookingPackage.class, NotInternal.class);
    }

    @Test
    void webStackRuleCatchesJaxrsResteasyAndUndertowOutsideTheServer() {
        ArchRule rule = ArchitectureRules.webStackOnlyInTheServer(FIXTURES, SERVER);
        assertThat(violations(rule))
                .contains(UsesJaxrs.class.getName(), "jakarta.ws.rs.core.Response")
                .contains(UsesResteasy.class.getName(), "org.jboss.resteasy")
                .contains(UsesUndertow.class.getName(), "io.undertow");
        conforming(rule, ServerResource.class, Quiet.class, CleanApiType.class);
    }

    @Test
    void staticStateRuleCatchesEveryKindOfMutableStatic() {
        ArchRule rule = ArchitectureRules.noStaticMutableState(FIXTURES);
        String counter = GlobalCounter.class.getName();
        assertThat(violations(rule))
                .contains(counter + ".count is static and not final")
                .contains(counter + ".CACHE is static and of the mutable type java.util.HashMap")
                .contains(counter + ".REGISTRY is static and holds a modifiable java.util.HashMap")
                .contains(counter + ".NAMES is static and of the mutable type")
                .contains(counter + ".REQUESTS is static and of the mutable type java.util.concurrent.atomic.AtomicLong")
                .contains(counter + ".CURRENT is static and of the mutable type java.lang.ThreadLocal");
        conforming(rule, Constants.class, Color.class);
    }

    @Test
    void layerRuleCatchesLayerPackagesAtAnyDepthButNotFeaturesThatStartLikeThem() {
        ArchRule rule = ArchitectureRules.noLayerPackages(FIXTURES);
        assertThat(violations(rule)).contains(StringHelpers.class.getName(), Pool.class.getName());
        conforming(rule, OpeningHours.class);
    }

    @Test
    void printingRuleCatchesStandardOutputStandardErrorAndStackTraces() {
        ArchRule rule = ArchitectureRules.onlyCommandLinesPrint(FIXTURES, SERVER);
        assertThat(violations(rule))
                .contains(Chatty.class.getName(), "java.lang.System.out")
                .contains(Complainer.class.getName(), "java.lang.System.err")
                .contains(StackPrinter.class.getName(), "printStackTrace");
        conforming(rule, ServerResource.class, Quiet.class);
    }
}
