package io.ployer.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.Ployer;
import io.ployer.api.PloyerException;
import io.ployer.api.application.Application;
import io.ployer.api.application.EnvVar;
import io.ployer.api.container.ContainerInfo;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentLogLine;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.template.ServiceTemplate;
import io.ployer.api.template.TemplateInstance;
import io.ployer.api.template.TemplateRequest;
import io.ployer.engine.database.DatabaseBackupITAccess;
import io.ployer.testkit.Environment;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The bundled {@code s3-store} template for real: instantiated with its image replaced through the
 * {@code templates.images} setting by the S3Proxy image scripts/provision-test-env.sh builds, deployed
 * through the pipeline, then an object is put and read back with the AWS SDK through the port the
 * container publishes on 127.0.0.1, with the credentials the template generated; other credentials are refused.
 */
class S3StoreTemplateIT {
    private static final String IMAGE = "ployer-test/s3proxy:latest";

    @TempDir
    Path data;
    private Ployer ployer;
    private final List<String> applications = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        if (ployer != null) {
            for (String id : applications) {
                try {
                    ployer.volumes().deleteApplication(id, true);
                } catch (RuntimeException e) {
                    // best effort
                }
            }
            ployer.close();
        }
        applications.forEach(PipelineFixture::removeEverythingOf);
    }

    @Test
    void anInstancePutsAndGetsObjectsWithItsGeneratedCredentials() throws Exception {
        Environment.requireDocker();
        DatabaseBackupITAccess.requireImage(IMAGE);
        ployer = Ployer.builder().dataDirectory(data.resolve("engine")).config("reconcile", "false")
                .config("deploy.stop-timeout", "2s").config("templates.images", "s3-store.s3=" + IMAGE).build();
        ployer.start();
        ServiceTemplate template = ployer.templates().get("s3-store");
        assertThat(template.secrets()).containsExactly("S3_ACCESS_KEY", "S3_SECRET_KEY");
        assertThat(template.services()).singleElement().satisfies(service -> {
            assertThat(service.image()).isEqualTo(IMAGE);
            assertThat(service.port()).isEqualTo(80);
        });

        String name = "objects-" + UUID.randomUUID().toString().substring(0, 6);
        TemplateInstance instance = ployer.templates().instantiate("s3-store", new TemplateRequest(name, null));
        instance.applications().forEach(application -> applications.add(application.id()));
        Application store = instance.applications().get(0);
        assertThat(store.name()).isEqualTo(name + "-s3");
        Deployment deployment = ployer.deployments().awaitCompletion(instance.deployments().get(0), Duration.ofMinutes(3));
        String log = ployer.deployments().logs(deployment.id()).stream().map(DeploymentLogLine::line)
                .collect(Collectors.joining("\n"));
        assertThat(deployment.status()).as(deployment.failureReason() + "\n" + log).isEqualTo(DeploymentStatus.RUNNING);

        Map<String, String> environment = ployer.applications().revealEnvVars(store.id()).stream()
                .collect(Collectors.toMap(EnvVar::key, EnvVar::value));
        String accessKey = environment.get("S3PROXY_IDENTITY");
        String secretKey = environment.get("S3PROXY_CREDENTIAL");
        assertThat(accessKey).matches("[0-9a-f]{48}");
        assertThat(secretKey).matches("[0-9a-f]{48}").isNotEqualTo(accessKey);
        // Generated secrets are masked in listings.
        assertThat(ployer.applications().envVars(store.id())).filteredOn(variable -> variable.key().equals("S3PROXY_CREDENTIAL"))
                .singleElement().satisfies(variable -> assertThat(variable.value()).isNotEqualTo(secretKey));

        ContainerInfo container = PipelineFixture.containersOf(store.id()).get(0);
        assertThat(container.endpoint().host()).isEqualTo("127.0.0.1");
        String endpoint = "http://127.0.0.1:" + container.endpoint().port();
        try (S3Client s3 = client(endpoint, accessKey, secretKey)) {
            s3.createBucket(request -> request.bucket("photos"));
            s3.putObject(request -> request.bucket("photos").key("hello.txt"),
                    RequestBody.fromString("hello from a one-click store", StandardCharsets.UTF_8));
            assertThat(s3.getObjectAsBytes(request -> request.bucket("photos").key("hello.txt")).asUtf8String())
                    .isEqualTo("hello from a one-click store");
            assertThat(s3.listObjectsV2(request -> request.bucket("photos")).contents()).extracting(object -> object.key())
                    .containsExactly("hello.txt");
        }
        try (S3Client wrong = client(endpoint, accessKey, "not-the-" + secretKey)) {
            assertThatThrownBy(() -> wrong.getObjectAsBytes(request -> request.bucket("photos").key("hello.txt")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        }
    }

    @Test
    void aMalformedImageSettingIsRefusedNamingIt() {
        assertThatThrownBy(() -> Ployer.builder().dataDirectory(data.resolve("bad")).config("templates.images", "s3-store")
                .build().close()).isInstanceOfSatisfying(PloyerException.class,
                        e -> assertThat(e.getMessage()).contains("templates.images"));
    }

    private static S3Client client(String endpoint, String accessKey, String secretKey) {
        // Checksums only where S3 demands them, as README advises: S3Proxy does not check the SDK's trailing checksums.
        return S3Client.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1).forcePathStyle(true)
                .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(30)))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .build();
    }
}
