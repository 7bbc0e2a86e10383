package io.ployer.plugin.docker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.spi.Cancellation;
import io.ployer.spi.runtime.ImageBuildSpec;
import io.ployer.testkit.Environment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds through the real dockerd carry their labels from one LABEL step after the last FROM, which
 * the build cache answers on a changed build (the build API's labels were one uncached step per
 * label at the end of every changed build), and the labelled Dockerfile and its ignore file do not
 * reach the image's files.
 */
class LabelledBuildIT {
    @TempDir
    Path context;

    @Test
    void labelsComeFromOneCachedStepAndTheContextIsTheApplicationsOwn() throws Exception {
        Environment.requireDocker();
        Files.createDirectories(context.resolve("sub"));
        Files.writeString(context.resolve("sub/Dockerfile"), "FROM ployer/busybox:latest\nCOPY . /ctx/\nCMD [\"ls\", \"-a\", \"/ctx\"]\n");
        Files.writeString(context.resolve("a.txt"), "one");
        String app = UUID.randomUUID().toString();
        Map<String, String> labels = Map.of("io.ployer.test-app", app, "io.ployer.test-managed", "true", "io.ployer.test-instance", "i1");
        String tag = "ployer-test/labelled:" + app.substring(0, 8);
        try (DockerContainerRuntime runtime = new DockerContainerRuntime("unix:///var/run/docker.sock", "127.0.0.1",
                Duration.ofMinutes(2), Clock.systemUTC())) {
            List<String> first = new ArrayList<>();
            runtime.buildImage(new ImageBuildSpec(context, "sub/Dockerfile", tag + "-1", Map.of(), labels), first::add, Cancellation.NONE);
            assertThat(first.stream().filter(line -> line.contains(": LABEL "))).hasSize(1);
            assertThat(docker("inspect", "-f", "{{json .Config.Labels}}", tag + "-1"))
                    .contains("\"io.ployer.test-app\":\"" + app + "\"", "\"io.ployer.test-managed\":\"true\"",
                            "\"io.ployer.test-instance\":\"i1\"");

            Files.writeString(context.resolve("a.txt"), "two");
            List<String> second = new ArrayList<>();
            runtime.buildImage(new ImageBuildSpec(context, "sub/Dockerfile", tag + "-2", Map.of(), labels), second::add, Cancellation.NONE);
            int label = indexOf(second, ": LABEL ");
            assertThat(second.get(label + 1)).as("the step after the LABEL step in %s", second).contains("Using cache");
            // Nothing is appended after the application's own last instruction.
            assertThat(second.stream().filter(line -> line.startsWith("Step ")).reduce((earlier, later) -> later).orElseThrow())
                    .isEqualTo("Step 4/4 : CMD [\"ls\", \"-a\", \"/ctx\"]");
            assertThat(docker("inspect", "-f", "{{json .Config.Labels}}", tag + "-2")).contains(app);

            String files = docker("run", "--rm", tag + "-2");
            assertThat(files.lines()).contains("a.txt", "sub").doesNotContain(LabelledContext.DOCKERFILE, ".dockerignore");
        } finally {
            docker("rmi", "-f", tag + "-1", tag + "-2");
        }
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no line with " + text + " in " + lines);
    }

    private static String docker(String... arguments) throws Exception {
        String[] command = new String[arguments.length + 1];
        command[0] = "docker";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }
}
