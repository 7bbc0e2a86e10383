package io.ployer.engine.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.PloyerException;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationStatus;
import io.ployer.api.application.ResourceLimits;
import io.ployer.api.application.RestartPolicy;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.deployment.DeploymentTrigger;
import io.ployer.engine.compose.ComposeFile;
import io.ployer.engine.compose.ComposeParser;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.runtime.ContainerSpec;
import io.ployer.api.container.Mount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a Compose service becomes a container spec: names, labels, limits, restart, mounts and the bind-mount rules. */
class ServiceSpecsTest {
    static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");
    static final Application APP = new Application("app-1", "shop", null, "https://git.example.com/shop.git", "main", "compose",
            Map.of(), 8080, true, new ResourceLimits(256L << 20, 1.0), RestartPolicy.NO, ApplicationStatus.CREATED, NOW, NOW);
    static final Deployment DEPLOYMENT = new Deployment("0123456789ab-cdef-0000-1111", "app-1", DeploymentStatus.STARTING,
            DeploymentTrigger.MANUAL, "main", null, null, null, null, null, null, null, NOW, NOW, null, NOW);

    private static ContainerSpec spec(String yaml, String service, List<Path> bindRoots, boolean oneOff) {
        ComposeFile file = ComposeParser.parse(yaml, "compose.yaml");
        return new ServiceSpecs(APP, "instance-1", bindRoots).container(file, file.services().get(service), DEPLOYMENT, "image:1", 0,
                Map.of(), oneOff, List.of());
    }

    @Test
    void aServiceBecomesAContainerOfTheDeploymentOnTheAppsNetwork() {
        ContainerSpec spec = spec("""
                services:
                  Web:
                    image: web
                    labels: {com.example.role: web, io.ployer.app: forged}
                    command: ["serve", "--port", "8080"]
                    entrypoint: ["/bin/sh", "-c"]
                    restart: on-failure:3
                    deploy: {resources: {limits: {memory: 64m, cpus: "0.25", pids: 20}}}
                    volumes: [data:/data:ro, /cache]
                volumes:
                  data:
                """, "Web", List.of(), false);

        assertThat(spec.name()).isEqualTo("ployer-shop-web-0123456789ab");
        assertThat(spec.network()).isEqualTo("ployer-shop");
        assertThat(spec.labels()).containsEntry("com.example.role", "web").containsEntry(ContainerRuntime.LABEL_APP, "app-1")
                .containsEntry(ContainerRuntime.LABEL_DEPLOYMENT, DEPLOYMENT.id()).containsEntry("io.ployer.service", "Web")
                .containsEntry(ContainerRuntime.LABEL_INSTANCE, "instance-1");
        assertThat(spec.command()).containsExactly("serve", "--port", "8080");
        assertThat(spec.entrypoint()).containsExactly("/bin/sh", "-c");
        assertThat(spec.restartPolicy()).isEqualTo(RestartPolicy.ON_FAILURE);
        assertThat(spec.limits()).isEqualTo(new ResourceLimits(64L << 20, 0.25, null, 20L));
        assertThat(spec.mounts()).containsExactly(new Mount("ployer-shop_data", "/data", false, true),
                new Mount("ployer-shop_web_cache", "/cache", false, false));
    }

    @Test
    void aRoutedServiceGetsTheApplicationsMountsAfterItsOwnAndOnePathIsNotMountedTwice() {
        ComposeFile file = ComposeParser.parse("services:\n  web:\n    image: web\n    volumes: [data:/data]\nvolumes:\n  data:\n",
                "compose.yaml");
        ServiceSpecs specs = new ServiceSpecs(APP, "instance-1", List.of());
        Mount uploads = new Mount("ployer-shop_uploads", "/uploads", false, false);
        Mount config = new Mount("/var/lib/ployer/files/app-1/d/0/app.conf", "/etc/app.conf", true, true);
        ContainerSpec spec = specs.container(file, file.services().get("web"), DEPLOYMENT, "image:1", 8080, Map.of(), false,
                List.of(uploads, config));
        assertThat(spec.mounts()).extracting(Mount::target).containsExactly("/data", "/uploads", "/etc/app.conf");
        assertThat(spec.labels()).containsEntry("io.ployer.routed", "true");
        assertThatThrownBy(() -> specs.container(file, file.services().get("web"), DEPLOYMENT, "image:1", 8080, Map.of(), false,
                List.of(new Mount("ployer-shop_other", "/data", false, false))))
                .isInstanceOf(PloyerException.class).hasMessageContaining("/data").hasMessageContaining("web");
    }

    @Test
    void withoutItsOwnSettingsAServiceTakesTheAppsLimitsAndRunsUnlessStoppedExceptAOneOff() {
        String yaml = "services:\n  job:\n    image: job\n";
        assertThat(spec(yaml, "job", List.of(), false).limits()).isEqualTo(APP.limits());
        assertThat(spec(yaml, "job", List.of(), false).restartPolicy()).isEqualTo(RestartPolicy.UNLESS_STOPPED);
        assertThat(spec(yaml, "job", List.of(), true).restartPolicy()).isEqualTo(RestartPolicy.NO);
        assertThat(spec(yaml.replace("image: job", "image: job\n    restart: always"), "job", List.of(), true).restartPolicy())
                .isEqualTo(RestartPolicy.ALWAYS);
        assertThat(spec(yaml, "job", List.of(), false).entrypoint()).isNull();
    }

    @Test
    void bindMountsFollowTheAllowListOfSingleApps(@TempDir Path roots) throws Exception {
        Path allowed = Files.createDirectories(roots.resolve("allowed/files"));
        Path outside = Files.createDirectories(roots.resolve("outside"));
        String yaml = "services:\n  web:\n    image: web\n    volumes: [\"SOURCE:/srv\"]\n";

        assertThat(spec(yaml.replace("SOURCE", allowed.toString()), "web", List.of(roots.resolve("allowed")), false).mounts())
                .containsExactly(new Mount(allowed.toString(), "/srv", true, false));
        assertThatThrownBy(() -> spec(yaml.replace("SOURCE", allowed.toString()), "web", List.of(), false))
                .isInstanceOf(PloyerException.class).hasMessageContaining("bind mounts are disabled on this server");
        assertThatThrownBy(() -> spec(yaml.replace("SOURCE", outside.toString()), "web", List.of(roots.resolve("allowed")), false))
                .isInstanceOf(PloyerException.class).hasMessageContaining("must lie under one of the allowed roots");
        assertThatThrownBy(() -> spec(yaml.replace("SOURCE", "./config"), "web", List.of(roots.resolve("allowed")), false))
                .isInstanceOf(PloyerException.class).hasMessageContaining("must be an absolute host path");
        assertThatThrownBy(() -> spec(yaml.replace("SOURCE", roots.resolve("allowed/missing").toString()), "web",
                List.of(roots.resolve("allowed")), false)).hasMessageContaining("must be an existing directory");
    }
}
