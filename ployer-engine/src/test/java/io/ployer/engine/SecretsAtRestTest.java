package io.ployer.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.Ployer;
import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.application.DeployKey;
import io.ployer.api.application.EnvVar;
import io.ployer.api.webhook.Webhook;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets are encrypted at rest, readable only with the right key, and rotatable. */
class SecretsAtRestTest {
    static final String SECRET_VALUE = "s3cr3t-env-value-7f1d9c";

    @TempDir
    Path data;

    private static ApplicationSpec app(String name) {
        return ApplicationSpec.named(name).withGit("https://git.example.com/team/" + name + ".git", "main");
    }

    @Test
    void storesNoPlainSecretInTheDatabaseFiles() throws IOException {
        String webhookSecret;
        try (Ployer ployer = EngineFixture.started(data, Map.of())) {
            Application application = ployer.applications().create(app("vault"));
            ployer.applications().setEnvVar(application.id(), "DATABASE_PASSWORD", SECRET_VALUE, false);
            ployer.applications().deployKey(application.id());
            ployer.applications().setGitToken(application.id(), "ghp_tokenvalue0123456789abcdef");
            webhookSecret = ployer.webhooks().create(application.id(), "testing-forge").secret();
            assertThat(ployer.webhooks().reveal(application.id())).map(Webhook::secret).contains(webhookSecret);
            assertThat(ployer.webhooks().find(application.id())).map(Webhook::secret).isEmpty();
        }
        byte[] everything = readDatabaseFiles();
        String text = new String(everything, StandardCharsets.ISO_8859_1);
        assertThat(text).doesNotContain(SECRET_VALUE);
        assertThat(text).doesNotContain(webhookSecret);
        assertThat(text).doesNotContain("ghp_tokenvalue0123456789abcdef");
        assertThat(text).doesNotContain("OPENSSH PRIVATE KEY");
        assertThat(text).contains("ENC:v1:");
    }

    @Test
    void revealsPlainValuesOnlyWhenAskedAndMasksThemInLists() {
        try (Ployer ployer = EngineFixture.started(data, Map.of())) {
            Application application = ployer.applications().create(app("masked"));
            EnvVar returned = ployer.applications().setEnvVar(application.id(), "TOKEN", SECRET_VALUE, true);
            assertThat(returned.value()).isEqualTo(EnvVar.MASK);
            assertThat(returned.toString()).doesNotContain(SECRET_VALUE);
            assertThat(ployer.applications().envVars(application.id())).extracting(EnvVar::value).containsOnly(EnvVar.MASK);
            assertThat(ployer.applications().revealEnvVars(application.id())).extracting(EnvVar::value).containsExactly(SECRET_VALUE);
            DeployKey key = ployer.applications().deployKey(application.id());
            assertThat(key.privateKey()).isNull();
            assertThat(key.publicKey()).startsWith("ssh-ed25519 ");
        }
    }

    @Test
    void createsTheKeyFileWithOwnerOnlyPermissions() throws IOException {
        try (Ployer ployer = EngineFixture.started(data, Map.of())) {
            assertThat(ployer.isRunning()).isTrue();
        }
        Path keyFile = data.resolve("secret.key");
        assertThat(keyFile).exists();
        assertThat(Files.getPosixFilePermissions(keyFile))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void refusesToStartWithAWrongKey() {
        try (Ployer ployer = EngineFixture.started(data, Map.of("secret", EngineFixture.KEY_ONE))) {
            Application application = ployer.applications().create(app("locked"));
            ployer.applications().setEnvVar(application.id(), "TOKEN", SECRET_VALUE, false);
        }
        Ployer wrong = EngineFixture.builder(data).config("secret", EngineFixture.KEY_TWO).build();
        assertThatThrownBy(wrong::start).isInstanceOfSatisfying(PloyerException.class, error -> {
            assertThat(error.code()).isEqualTo(StandardErrorCode.SECRET_KEY_MISMATCH);
            assertThat(error.getMessage()).contains("k1").doesNotContain(EngineFixture.KEY_TWO.substring(3));
        });
        assertThat(wrong.isRunning()).isFalse();
    }

    @Test
    void refusesToStartWhenTheKeyFileIsLostButTheDatabaseHoldsSecrets() throws IOException {
        try (Ployer ployer = EngineFixture.started(data, Map.of())) {
            Application application = ployer.applications().create(app("lost"));
            ployer.applications().setEnvVar(application.id(), "TOKEN", SECRET_VALUE, false);
        }
        Files.delete(data.resolve("secret.key"));
        Ployer restarted = EngineFixture.builder(data).build();
        assertThatThrownBy(restarted::start).isInstanceOfSatisfying(PloyerException.class,
                error -> assertThat(error.code()).isEqualTo(StandardErrorCode.SECRET_KEY_MISMATCH));
    }

    @Test
    void rotatesKeysWithReencryption() {
        String applicationId;
        try (Ployer ployer = EngineFixture.started(data, Map.of("secret", EngineFixture.KEY_ONE))) {
            Application application = ployer.applications().create(app("rotate"));
            applicationId = application.id();
            ployer.applications().setEnvVar(applicationId, "TOKEN", SECRET_VALUE, false);
            ployer.applications().deployKey(applicationId);
            ployer.applications().setGitToken(applicationId, "ghp_rotated_token_value_123");
        }
        try (Ployer ployer = EngineFixture.started(data, Map.of("secret", EngineFixture.KEY_TWO + "," + EngineFixture.KEY_ONE))) {
            assertThat(ployer.applications().revealEnvVars(applicationId)).extracting(EnvVar::value).containsExactly(SECRET_VALUE);
            assertThat(ployer.administration().reencryptSecrets()).isEqualTo(3);
            assertThat(ployer.administration().reencryptSecrets()).isZero();
        }
        try (Ployer ployer = EngineFixture.started(data, Map.of("secret", EngineFixture.KEY_TWO))) {
            assertThat(ployer.applications().revealEnvVars(applicationId)).extracting(EnvVar::value).containsExactly(SECRET_VALUE);
        }
    }

    @Test
    void notificationChannelSecretsAreReencryptedOnRotationAndStillDeliver() {
        String channelId;
        try (io.ployer.testkit.notify.HttpReceiver receiver = io.ployer.testkit.notify.HttpReceiver.start()) {
            try (Ployer ployer = EngineFixture.started(data, Map.of("secret", EngineFixture.KEY_ONE))) {
                channelId = ployer.notifications().createChannel(new io.ployer.api.notification.ChannelSpec("hook", "webhook", null,
                        java.util.Set.of(io.ployer.api.notification.NotificationEvent.BACKUP_FAILED),
                        Map.of("url", receiver.url("/hook"), "secret", "a-long-webhook-secret"), null)).id();
            }
            try (Ployer ployer = EngineFixture.started(data, Map.of("secret", EngineFixture.KEY_TWO + "," + EngineFixture.KEY_ONE))) {
                assertThat(ployer.administration().reencryptSecrets()).isEqualTo(2);
                assertThat(ployer.administration().reencryptSecrets()).isZero();
            }
            try (Ployer ployer = EngineFixture.started(data, Map.of("secret", EngineFixture.KEY_TWO))) {
                assertThat(ployer.notifications().test(channelId).status())
                        .isEqualTo(io.ployer.api.notification.NotificationDelivery.Status.DELIVERED);
                assertThat(receiver.take(java.time.Duration.ofSeconds(5)).path()).isEqualTo("/hook");
            }
        }
    }

    @Test
    void totpSecretsAreStoredEncryptedAndReencryptedOnRotation() throws Exception {
        String userId;
        String secret;
        try (Ployer ployer = EngineFixture.started(data, Map.of("secret", EngineFixture.KEY_ONE))) {
            userId = ployer.accounts().register("ada@example.com", "correct horse").id();
            secret = ployer.accounts().enrolTotp(userId).secret();
        }
        String readable = new String(readDatabaseFiles(), StandardCharsets.ISO_8859_1);
        assertThat(readable).doesNotContain(secret);
        try (Ployer ployer = EngineFixture.started(data, Map.of("secret", EngineFixture.KEY_TWO + "," + EngineFixture.KEY_ONE))) {
            assertThat(ployer.administration().reencryptSecrets()).isEqualTo(1);
        }
        try (Ployer ployer = EngineFixture.started(data, Map.of("secret", EngineFixture.KEY_TWO))) {
            // Confirming decrypts the secret with the new key alone.
            assertThat(ployer.accounts().confirmTotp(userId, totp(secret, java.time.Instant.now()))).hasSize(10);
            assertThat(ployer.accounts().totpStatus(userId).enabled()).isTrue();
        }
    }

    /** An authenticator's current code (RFC 6238, HMAC-SHA-1, 6 digits), independent of the engine's. */
    static String totp(String base32, java.time.Instant at) throws Exception {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        java.io.ByteArrayOutputStream key = new java.io.ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char c : base32.toCharArray()) {
            buffer = (buffer << 5) | alphabet.indexOf(c);
            bits += 5;
            if (bits >= 8) {
                key.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(key.toByteArray(), "HmacSHA1"));
        byte[] hash = mac.doFinal(java.nio.ByteBuffer.allocate(8).putLong(at.getEpochSecond() / 30).array());
        int offset = hash[19] & 0xf;
        int value = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16) | ((hash[offset + 2] & 0xff) << 8)
                | (hash[offset + 3] & 0xff);
        return String.format("%06d", value % 1_000_000);
    }

    private byte[] readDatabaseFiles() throws IOException {
        try (Stream<Path> files = Files.list(data)) {
            List<Path> databaseFiles = files.filter(file -> file.getFileName().toString().startsWith("ployer.db")).toList();
            assertThat(databaseFiles).isNotEmpty();
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            for (Path file : databaseFiles) {
                all.write(Files.readAllBytes(file));
            }
            return all.toByteArray();
        }
    }
}
