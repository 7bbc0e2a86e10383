package io.ployer.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * The dependency rules of DESIGN.md §1 (and the packaging and logging rules of STYLE.md) as
 * ArchUnit rules. Each rule is built from package roots, so the same rule runs on the production
 * code ({@link ArchitectureTest}) and on deliberately violating fixtures
 * ({@link ArchitectureRulesCatchViolationsTest}), which proves that it can fail.
 */
final class ArchitectureRules {
    /**
     * The JDK packages an API type may use. {@code javax} is not the JDK as a whole (JAX-RS and the
     * old Java EE APIs live there too), so only the JDK's own javax packages are listed.
     */
    private static final List<String> JDK_PACKAGES = List.of("java..", "javax.crypto..", "javax.net..", "javax.security..");

    /** The web stack that belongs to the reference server only. */
    private static final List<String> WEB_STACK_PACKAGES = List.of("jakarta.ws.rs..", "javax.ws.rs..", "org.jboss.resteasy..",
            "io.undertow..");

    /** Package names that describe a technical layer instead of a feature. */
    private static final List<String> LAYER_PACKAGE_NAMES = List.of("util", "utils", "service", "services", "dao", "helper",
            "helpers", "manager", "managers");

    /** The segment that marks a feature's private package. */
    private static final String INTERNAL = "internal";

    /**
     * Types whose instances are shared mutable state when held in a static field, beyond the JDK's
     * collection classes (which {@link #isMutableType} recognises generally).
     */
    private static final List<Class<?>> MUTABLE_TYPES = List.of(StringBuilder.class, StringBuffer.class, java.util.BitSet.class,
            ThreadLocal.class, ExecutorService.class, java.util.concurrent.atomic.LongAdder.class,
            java.util.concurrent.atomic.DoubleAdder.class, java.util.concurrent.atomic.LongAccumulator.class,
            java.util.concurrent.atomic.DoubleAccumulator.class);

    private ArchitectureRules() {
    }

    /** Rule 1: the public API and SPI use the JDK and themselves only. */
    static ArchRule apiDependsOnlyOnTheJdk(String apiRoot, String spiRoot) {
        List<String> allowed = new java.util.ArrayList<>(JDK_PACKAGES);
        allowed.add(apiRoot + "..");
        allowed.add(spiRoot + "..");
        return classes().that().resideInAnyPackage(apiRoot + "..", spiRoot + "..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(allowed.toArray(String[]::new))
                .because("the API and SPI are what embedders and plugin authors compile against: JDK only");
    }

    /**
     * Rule 2: a plugin ({@code <pluginRoot>.<name>..}) uses neither the engine, the server, nor
     * another plugin. The plugin's name is read from each class's package, so a new plugin is
     * covered without changing this rule.
     */
    static ArchRule pluginsAreIsolated(String pluginRoot, String engineRoot, String serverRoot) {
        return classes().that().resideInAPackage(pluginRoot + "..")
                .should(new ArchCondition<>("depend on no engine, server or other plugin class") {
                    @Override
                    public void check(JavaClass item, ConditionEvents events) {
                        String own = pluginName(pluginRoot, item.getPackageName());
                        for (Dependency dependency : item.getDirectDependenciesFromSelf()) {
                            String target = dependency.getTargetClass().getPackageName();
                            boolean otherPlugin = isInside(target, pluginRoot) && !pluginName(pluginRoot, target).equals(own);
                            if (isInside(target, engineRoot) || isInside(target, serverRoot) || otherPlugin) {
                                events.add(SimpleConditionEvent.violated(item, "plugin '" + own + "': " + dependency.getDescription()));
                            }
                        }
                    }
                })
                .because("a plugin is built against ployer-api only and must load into any embedder");
    }

    /** The first package segment below the plugin root, or the empty string for the root itself. */
    private static String pluginName(String pluginRoot, String packageName) {
        if (!packageName.startsWith(pluginRoot + ".")) {
            return "";
        }
        String rest = packageName.substring(pluginRoot.length() + 1);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    /** Whether the package is the root or below it (by whole segments: {@code a.bc} is not inside {@code a.b}). */
    private static boolean isInside(String packageName, String root) {
        return packageName.equals(root) || packageName.startsWith(root + ".");
    }

    /** Rule 3: the engine never names a plugin or server class. */
    static ArchRule engineUsesNoPluginOrServer(String engineRoot, String pluginRoot, String serverRoot) {
        return noClasses().that().resideInAPackage(engineRoot + "..")
                .should().dependOnClassesThat().resideInAnyPackage(pluginRoot + "..", serverRoot + "..")
                .because("the engine finds plugins through ServiceLoader like any embedder");
    }

    /** Rule 4a: the feature packages below the engine root form no cycle. */
    static ArchRule engineFeaturesAreFreeOfCycles(String engineRoot) {
        return SlicesRuleDefinition.slices().matching(engineRoot + ".(*)..").should().beFreeOfCycles()
                .because("features depend on each other in one direction only");
    }

    /**
     * Rule 4c: the engine's root package is a slice too, so a cycle through it (a feature using a type
     * the root package defines, while the root package wires that feature) is caught; rule 4a alone
     * leaves the root package out.
     */
    static ArchRule enginePackagesAreFreeOfCycles(String engineRoot) {
        return SlicesRuleDefinition.slices().assignedFrom(new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                String packageName = javaClass.getPackageName();
                if (packageName.equals(engineRoot)) {
                    return SliceIdentifier.of("(root)");
                }
                if (packageName.startsWith(engineRoot + ".")) {
                    return SliceIdentifier.of(packageName.substring(engineRoot.length() + 1).split("\\.")[0]);
                }
                return SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() {
                return "the root package of " + engineRoot + " and each feature below it";
            }
        }).should().beFreeOfCycles().because("the root package wires the features; no feature depends back on it");
    }

    /**
     * Rule 4d: every package at or below {@code root} (the root package too, and sub-packages of a
     * feature) is a slice of its own, and the slices form no cycle. Stricter than 4a and 4c, which
     * slice by feature: a cycle between a feature and its own sub-package, or between two packages
     * one of which wires the other (the server's resources used to be wired inside {@code http},
     * whose helpers they use), is caught too.
     */
    static ArchRule everyPackageIsFreeOfCycles(String root) {
        return SlicesRuleDefinition.slices().assignedFrom(new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                String packageName = javaClass.getPackageName();
                return isInside(packageName, root) ? SliceIdentifier.of(packageName) : SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() {
                return "every package of " + root;
            }
        }).should().beFreeOfCycles().because("packages depend on each other in one direction only; wiring lives in a package of its own");
    }

    /**
     * Rule 1b: the API never uses the SPI; the SPI builds on the API (its stores keep the API's
     * records, its runtime reports the API's container records), so the dependency goes one way.
     */
    static ArchRule apiNeverUsesTheSpi(String apiRoot, String spiRoot) {
        return noClasses().that().resideInAPackage(apiRoot + "..")
                .should().dependOnClassesThat().resideInAPackage(spiRoot + "..")
                .because("the SPI depends on the API, so the API depending on the SPI would make a cycle");
    }

    /**
     * Rule 3b: the server names no engine class at all: it reaches the engine through the API, and
     * what a server needs beyond it (a response cache's hooks, backup restore) through the seam
     * module, whose provider the engine registers for {@code ServiceLoader}.
     */
    static ArchRule serverUsesNoEngineClass(String serverRoot, String engineRoot) {
        return noClasses().that().resideInAPackage(serverRoot + "..")
                .should().dependOnClassesThat().resideInAPackage(engineRoot + "..")
                .because("ployer-engine is a run-time dependency of the server: the API and the server seam are its contract");
    }

    /**
     * Rule 4b: a package {@code X.internal} (and below) is used only by classes in {@code X} and
     * below, for every feature of the engine, the plugins and the server.
     */
    static ArchRule internalPackagesStayInsideTheirFeature(String root) {
        return classes().that().resideInAPackage(root + "..")
                .should(new ArchCondition<>("use no other feature's internal package") {
                    @Override
                    public void check(JavaClass item, ConditionEvents events) {
                        for (Dependency dependency : item.getDirectDependenciesFromSelf()) {
                            String target = dependency.getTargetClass().getPackageName();
                            if (!isInside(target, root)) {
                                continue;
                            }
                            owningFeature(target).filter(feature -> !isInside(item.getPackageName(), feature))
                                    .ifPresent(feature -> events.add(SimpleConditionEvent.violated(item,
                                            "internal to " + feature + ": " + dependency.getDescription())));
                        }
                    }
                })
                .because("an internal package is an implementation detail of its feature");
    }

    /** The package that owns the first {@code internal} segment of the given package, if it has one. */
    private static Optional<String> owningFeature(String packageName) {
        List<String> segments = Arrays.asList(packageName.split("\\."));
        int internal = segments.indexOf(INTERNAL);
        return internal < 0 ? Optional.empty() : Optional.of(String.join(".", segments.subList(0, internal)));
    }

    /** Rule 5: JAX-RS, RESTEasy and Undertow appear only in the server. */
    static ArchRule webStackOnlyInTheServer(String root, String serverRoot) {
        return noClasses().that().resideInAPackage(root + "..").and().resideOutsideOfPackage(serverRoot + "..")
                .should().dependOnClassesThat().resideInAnyPackage(WEB_STACK_PACKAGES.toArray(String[]::new))
                .because("the library must be embeddable without a web stack");
    }

    /**
     * Rule 6: no static mutable state, so two engines in one JVM never interfere. A static field
     * must be final, its declared type must not be a mutable type (a JDK collection or map class,
     * an array, an atomic, a builder, a thread local, an executor), and a static final field
     * declared as a collection or map interface must hold an unmodifiable value at run time
     * ({@code new HashMap<>()} behind a {@code Map} is caught by reading the value). Compiler
     * generated fields ({@code $VALUES}, {@code $SwitchMap$…}), {@code serialVersionUID} and
     * loggers (final, immutable) pass.
     */
    static ArchRule noStaticMutableState(String root) {
        return fields().that().areDeclaredInClassesThat().resideInAPackage(root + "..").and().areStatic()
                .should(new ArchCondition<>("be final and hold an immutable value") {
                    @Override
                    public void check(JavaField field, ConditionEvents events) {
                        if (isCompilerGenerated(field) || field.getName().equals("serialVersionUID")) {
                            return;
                        }
                        if (!field.getModifiers().contains(JavaModifier.FINAL)) {
                            events.add(SimpleConditionEvent.violated(field, field.getFullName() + " is static and not final"));
                        } else if (isMutableType(field.getRawType())) {
                            events.add(SimpleConditionEvent.violated(field, field.getFullName() + " is static and of the mutable type "
                                    + field.getRawType().getName()));
                        } else if (isCollectionOrMap(field.getRawType())) {
                            mutableValue(field).ifPresent(problem -> events.add(SimpleConditionEvent.violated(field,
                                    field.getFullName() + " is static and " + problem)));
                        }
                    }
                })
                .because("two Ployer instances in one JVM must never share state (DESIGN.md §1)");
    }

    private static boolean isCompilerGenerated(JavaField field) {
        return field.getModifiers().contains(JavaModifier.SYNTHETIC) || field.getName().startsWith("$");
    }

    /** Whether instances of the type are mutable by construction (declared type alone decides). */
    private static boolean isMutableType(JavaClass type) {
        if (type.isArray()) {
            return true;
        }
        if (type.getPackageName().equals("java.util.concurrent.atomic")) {
            return true;
        }
        if (MUTABLE_TYPES.stream().anyMatch(type::isAssignableTo)) {
            return true;
        }
        // A collection or map class (not an interface): every such JDK class is mutable, and the
        // JDK's unmodifiable ones are private, so they are never a declared type.
        return isCollectionOrMap(type) && !type.isInterface();
    }

    private static boolean isCollectionOrMap(JavaClass type) {
        return type.isAssignableTo(Collection.class) || type.isAssignableTo(Map.class);
    }

    /**
     * Reads a static final collection or map field and describes its value if it is modifiable.
     * The class is initialised to read it; a static initialiser that cannot run in a test is itself
     * reported, as the rule then cannot vouch for the field.
     */
    private static Optional<String> mutableValue(JavaField field) {
        Object value;
        try {
            Class<?> owner = Class.forName(field.getOwner().getName(), true, ArchitectureRules.class.getClassLoader());
            Field reflected = owner.getDeclaredField(field.getName());
            reflected.setAccessible(true);
            value = reflected.get(null);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return Optional.of("could not be read to check that its value is unmodifiable: " + e);
        }
        if (value == null) {
            return Optional.empty();
        }
        String type = value.getClass().getName();
        boolean unmodifiable = type.startsWith("java.util.ImmutableCollections$") || type.startsWith("java.util.Collections$Unmodifiable")
                || type.startsWith("java.util.Collections$Empty") || type.startsWith("java.util.Collections$Singleton")
                || type.startsWith("java.util.Collections$CopiesList");
        return unmodifiable ? Optional.empty() : Optional.of("holds a modifiable " + type);
    }

    /** Rule 7: code is packaged by feature, never by technical layer. */
    static ArchRule noLayerPackages(String root) {
        return noClasses().that().resideInAPackage(root + "..")
                .should().resideInAnyPackage(LAYER_PACKAGE_NAMES.stream().map(layer -> root + ".." + layer + "..").toArray(String[]::new))
                .because("packages are named by feature, with internal below it (STYLE.md)");
    }

    /**
     * Rule 8: only programs with a command line print to the console ({@code System.out},
     * {@code System.err}, {@code Throwable.printStackTrace()}); everything else logs through SLF4J.
     */
    static ArchRule onlyCommandLinesPrint(String root, String... allowedRoots) {
        String[] allowed = Arrays.stream(allowedRoots).map(allowedRoot -> allowedRoot + "..").toArray(String[]::new);
        return classes().that().resideInAPackage(root + "..").and().resideOutsideOfPackages(allowed)
                .should(new ArchCondition<>("not print to the console") {
                    @Override
                    public void check(JavaClass item, ConditionEvents events) {
                        for (JavaFieldAccess access : item.getFieldAccessesFromSelf()) {
                            String name = access.getTarget().getName();
                            if (access.getTargetOwner().isEquivalentTo(System.class) && (name.equals("out") || name.equals("err"))) {
                                events.add(SimpleConditionEvent.violated(item, access.getDescription()));
                            }
                        }
                        for (JavaMethodCall call : item.getMethodCallsFromSelf()) {
                            if (call.getTarget().getName().equals("printStackTrace") && call.getTarget().getRawParameterTypes().isEmpty()
                                    && call.getTargetOwner().isAssignableTo(Throwable.class)) {
                                events.add(SimpleConditionEvent.violated(item, call.getDescription()));
                            }
                        }
                    }
                })
                .because("production code logs through SLF4J");
    }
}
