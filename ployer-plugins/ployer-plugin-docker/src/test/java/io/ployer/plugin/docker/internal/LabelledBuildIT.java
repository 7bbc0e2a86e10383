package io.ployer.plugin.docker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.spi.plugin.Cancellation;
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
 * Builds through the real dockerd carry their labels from one LABEL step at the end (the build
 * API's labels were one step per label, each through an intermediate container, on every changed
 * build), the build's own containers carry none of them, and the labelled Dockerfile and its ignore
 * file do not reach the image's files.
 */
class LabelledBuildIT {
    @TempDir
    Path context;

    @Test
    void labelsComeFromOneStepAtTheEndAndTheContextIsTheApplicationsOwn() throws Exception {
        Environment.requireDocker();
        Files.createDirectories(context.resolve("sub"));
        Files.writeString(context.resolve("sub/Dockerfile"), "FROM ployer/busybox:latest\nCOPY . /ctx/\nCMD [\"ls\", \"-a\", \"/ctx\"]");
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
            // One LABEL step, the last one.
            assertThat(second.stream().filter(line -> line.contains(": LABEL "))).hasSize(1);
            assertThat(second.stream().filter(line -> line.startsWith("Step ")).reduce((earlier, later) -> later).orElseThrow())
                    .startsWith("Step 4/4 : LABEL ");
            assertThat(docker("inspect", "-f", "{{json .Config.Labels}}", tag + "-2")).contains(app);

            String files = docker("run", "--rm", tag + "-2");
            assertThat(files.lines()).contains("a.txt", "sub").doesNotContain(LabelledContext.DOCKERFILE, ".dockerignore");
        } finally {
            docker("rmi", "-f", tag + "-1", tag + "-2");
        }
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
