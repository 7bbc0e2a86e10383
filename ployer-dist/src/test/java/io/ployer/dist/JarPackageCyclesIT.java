package io.ployer.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import io.ployer.dist.fixtures.cycle.first.First;
import io.ployer.dist.fixtures.cycle.second.Second;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No package cycle in any Ployer jar the distribution ships, read from the jars themselves (what
 * the build packed, not the IDE's class folders): every package of a jar is a slice of its own,
 * the root packages included. The ArchUnit rules of {@code ployer-server} check the same on the
 * class path; this check sees exactly the bytes that are released.
 */
class JarPackageCyclesIT {
    @TempDir
    Path work;

    @Test
    void noShippedPloyerJarHasAPackageCycle() throws Exception {
        Path tarball = Path.of(System.getProperty("ployer.distribution", "target/ployer-dist.tar.gz"));
        assertThat(tarball).as("the distribution the build made").exists();
        Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", work.toString()).redirectErrorStream(true).start();
        assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).isZero();
        List<Path> jars;
        try (Stream<Path> lib = Files.list(work.resolve("ployer-" + System.getProperty("ployer.version")).resolve("lib"))) {
            jars = lib.filter(jar -> jar.getFileName().toString().matches("ployer-.*\\.jar")).sorted().toList();
        }
        assertThat(jars.stream().map(jar -> jar.getFileName().toString()))
                .anyMatch(name -> name.startsWith("ployer-api-")).anyMatch(name -> name.startsWith("ployer-engine-"))
                .anyMatch(name -> name.startsWith("ployer-server-seam-"))
                .anyMatch(name -> name.startsWith("ployer-server-") && !name.startsWith("ployer-server-seam-"))
                .anyMatch(name -> name.startsWith("ployer-plugin-sqlite-"))
                .anyMatch(name -> name.startsWith("ployer-plugin-docker-"));
        Map<String, String> problems = new TreeMap<>();
        for (Path jar : jars) {
            JavaClasses classes = importJar(jar);
            assertThat(classes).as("classes of %s", jar.getFileName()).isNotEmpty();
            String report = cycles(classes);
            if (!report.isEmpty()) {
                problems.put(jar.getFileName().toString(), report);
            }
        }
        assertThat(problems).as("package cycles in the shipped jars").isEmpty();
    }

    /** The check itself, on a jar packed here from two classes whose packages use each other: it must report them. */
    @Test
    void reportsACycleInAJar() throws Exception {
        Path jar = work.resolve("cycle.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (Class<?> type : List.of(First.class, Second.class)) {
                String entry = type.getName().replace('.', '/') + ".class";
                out.putNextEntry(new JarEntry(entry));
                try (var in = type.getClassLoader().getResourceAsStream(entry)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        assertThat(cycles(importJar(jar))).contains(First.class.getName(), Second.class.getName());
    }

    private static JavaClasses importJar(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return new ClassFileImporter().importJar(file);
        }
    }

    /** The cycle report for these classes (empty when there is none); each package of theirs is a slice. */
    static String cycles(JavaClasses classes) {
        Set<String> own = classes.stream().map(JavaClass::getPackageName).collect(Collectors.toSet());
        EvaluationResult result = SlicesRuleDefinition.slices().assignedFrom(new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                String packageName = javaClass.getPackageName();
                if (!own.contains(packageName)) {
                    return SliceIdentifier.ignore();
                }
                return SliceIdentifier.of(packageName);
            }

            @Override
            public String getDescription() {
                return "every package of the jar";
            }
        }).should().beFreeOfCycles().allowEmptyShould(true).evaluate(classes);
        return result.hasViolation() ? String.join("\n", result.getFailureReport().getDetails()) : "";
    }
}
