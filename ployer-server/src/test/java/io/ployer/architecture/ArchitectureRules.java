package io.ployer.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The dependency rules of DESIGN.md §1 as ArchUnit rules, each built from package roots so the
 * same rule runs on the production code and on deliberately violating fixtures.
 */
final class ArchitectureRules {
    private ArchitectureRules() {
    }

    /** The public API and SPI use the JDK and themselves only. */
    static ArchRule apiDependsOnlyOnTheJdk(String apiRoot, String spiRoot) {
        return classes().that().resideInAnyPackage(apiRoot + "..", spiRoot + "..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax.crypto..", "javax.net..",
                        "javax.security..", apiRoot + "..", spiRoot + "..")
                .because("the API and SPI are what embedders and plugin authors compile against: JDK only");
    }

    /** A plugin uses neither the engine, the server, nor another plugin. */
    static ArchRule pluginsAreIsolated(String pluginRoot, String engineRoot, String serverRoot) {
        return classes().that().resideInAPackage(pluginRoot + "..")
                .should(new ArchCondition<>("depend on no engine, server or other plugin") {
                    @Override
                    public void check(JavaClass item, ConditionEvents events) {
                        String own = pluginName(pluginRoot, item.getPackageName());
                        for (Dependency dependency : item.getDirectDependenciesFromSelf()) {
                            String target = dependency.getTargetClass().getPackageName();
                            boolean forbidden = target.equals(engineRoot) || target.startsWith(engineRoot + ".")
                                    || target.equals(serverRoot) || target.startsWith(serverRoot + ".")
                                    || (target.startsWith(pluginRoot + ".") && !pluginName(pluginRoot, target).equals(own));
                            if (forbidden) {
                                events.add(SimpleConditionEvent.violated(item, item.getName() + " (plugin " + own + ") depends on "
                                        + dependency.getTargetClass().getName()));
                            }
                        }
                    }
                });
    }

    private static String pluginName(String pluginRoot, String packageName) {
        String rest = packageName.length() > pluginRoot.length() ? packageName.substring(pluginRoot.length() + 1) : "";
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    /** The engine never names a plugin class or the server. */
    static ArchRule engineUsesNoPluginOrServer(String engineRoot, String pluginRoot, String serverRoot) {
        return noClasses().that().resideInAPackage(engineRoot + "..")
                .should().dependOnClassesThat().resideInAnyPackage(pluginRoot + "..", serverRoot + "..")
                .because("the engine finds plugins through ServiceLoader like any embedder");
    }

    /** Engine feature packages form no cycle. */
    static ArchRule engineFeaturesAreFreeOfCycles(String engineRoot) {
        return SlicesRuleDefinition.slices().matching(engineRoot + ".(*)..").should().beFreeOfCycles();
    }

    /** A feature's {@code internal} package is used only inside that feature. */
    static ArchRule internalPackagesStayInsideTheirFeature(String root) {
        return classes().that().resideInAPackage(root + "..")
                .should(new ArchCondition<>("use no other feature's internal package") {
                    @Override
                    public void check(JavaClass item, ConditionEvents events) {
                        for (Dependency dependency : item.getDirectDependenciesFromSelf()) {
                            String target = dependency.getTargetClass().getPackageName();
                            int internal = target.indexOf(".internal");
                            if (!target.startsWith(root + ".") || internal < 0) {
                                continue;
                            }
                            String feature = target.substring(0, internal);
                            String source = item.getPackageName();
                            if (!(source.equals(feature) || source.startsWith(feature + "."))) {
                                events.add(SimpleConditionEvent.violated(item, item.getName() + " uses "
                                        + dependency.getTargetClass().getName() + ", internal to " + feature));
                            }
                        }
                    }
                });
    }

    /** JAX-RS, RESTEasy and Undertow appear only in the server. */
    static ArchRule webStackOnlyInTheServer(String root, String serverRoot) {
        return noClasses().that().resideInAPackage(root + "..").and().resideOutsideOfPackage(serverRoot + "..")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta.ws.rs..", "javax.ws.rs..", "org.jboss.resteasy..",
                        "io.undertow..")
                .because("the library must be embeddable without a web stack");
    }

    private static final Set<Class<?>> MUTABLE_TYPES = Set.of(java.util.HashMap.class, java.util.LinkedHashMap.class,
            java.util.TreeMap.class, java.util.ArrayList.class, java.util.LinkedList.class, java.util.HashSet.class,
            java.util.LinkedHashSet.class, java.util.TreeSet.class, java.util.concurrent.ConcurrentHashMap.class,
            java.util.concurrent.CopyOnWriteArrayList.class, AtomicInteger.class, AtomicLong.class, AtomicBoolean.class,
            AtomicReference.class, StringBuilder.class);

    /** No static mutable state: two engines in one JVM never interfere. */
    static ArchRule noStaticMutableState(String root) {
        return fields().that().areDeclaredInClassesThat().resideInAPackage(root + "..").and().areStatic()
                .should(new ArchCondition<>("be final and of an immutable type") {
                    @Override
                    public void check(JavaField field, ConditionEvents events) {
                        if (field.getName().equals("serialVersionUID") || field.getName().startsWith("$")) {
                            return;
                        }
                        boolean mutableType = MUTABLE_TYPES.stream().anyMatch(type -> field.getRawType().isEquivalentTo(type));
                        if (!field.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.FINAL) || mutableType) {
                            events.add(SimpleConditionEvent.violated(field, field.getFullName() + " is static mutable state"));
                        }
                    }
                });
    }

    /** Code is packaged by feature, never by layer. */
    static ArchRule noLayerPackages(String root) {
        List<String> layers = List.of("util", "utils", "service", "services", "dao", "helper", "helpers", "manager", "managers");
        return noClasses().that().resideInAPackage(root + "..")
                .should().resideInAnyPackage(layers.stream().map(layer -> root + ".." + layer + "..").toArray(String[]::new))
                .because("packages are named by feature (STYLE.md)");
    }

    /** Only programs with a command line (server CLI, examples, the test kit's skip notices) print to the console. */
    static ArchRule onlyCommandLinesPrint(String root, String... allowedRoots) {
        String[] allowed = java.util.Arrays.stream(allowedRoots).map(allowedRoot -> allowedRoot + "..").toArray(String[]::new);
        return noClasses().that().resideInAPackage(root + "..").and().resideOutsideOfPackages(allowed)
                .should().accessField(System.class, "out").orShould().accessField(System.class, "err")
                .because("production code logs through SLF4J");
    }
}
