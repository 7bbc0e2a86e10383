package io.ployer.engine.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretCipherTest {
    static final String KEY_A = "a:" + Base64.getEncoder().encodeToString(new byte[32]);
    static final String KEY_B = "b:" + Base64.getEncoder().encodeToString(filled(7));

    @TempDir
    Path directory;

    static byte[] filled(int value) {
        byte[] bytes = new byte[32];
        java.util.Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    @Test
    void roundTripsWithARandomNonceEachTime() {
        SecretCipher cipher = new SecretCipher(SecretKeyRing.parse(KEY_A));
        String first = cipher.encrypt("app-1", "env:TOKEN", "s3cret value ✓");
        String second = cipher.encrypt("app-1", "env:TOKEN", "s3cret value ✓");
        assertThat(first).startsWith("ENC:v1:a:").isNotEqualTo(second).doesNotContain("s3cret");
        assertThat(cipher.decrypt("app-1", "env:TOKEN", first)).isEqualTo("s3cret value ✓");
        assertThat(cipher.decrypt("app-1", "env:TOKEN", second)).isEqualTo("s3cret value ✓");
    }

    @Test
    void aValueMovedToAnotherOwnerOrFieldDoesNotDecrypt() {
        SecretCipher cipher = new SecretCipher(SecretKeyRing.parse(KEY_A));
        String stored = cipher.encrypt("app-1", "env:TOKEN", "plain-secret-42");
        for (String[] elsewhere : List.of(new String[] {"app-2", "env:TOKEN"}, new String[] {"app-1", "env:OTHER"})) {
            assertThatThrownBy(() -> cipher.decrypt(elsewhere[0], elsewhere[1], stored))
                    .isInstanceOfSatisfying(PloyerException.class, error -> {
                        assertThat(error.code()).isEqualTo(StandardErrorCode.SECRET_KEY_MISMATCH);
                        assertThat(error.getMessage()).doesNotContain("plain-secret-42");
                    });
        }
    }

    @Test
    void aTamperedValueDoesNotDecrypt() {
        SecretCipher cipher = new SecretCipher(SecretKeyRing.parse(KEY_A));
        String stored = cipher.encrypt("app", "field", "value");
        byte[] bytes = Base64.getDecoder().decode(stored.substring("ENC:v1:a:".length()));
        bytes[bytes.length - 1] ^= 1;
        String tampered = "ENC:v1:a:" + Base64.getEncoder().encodeToString(bytes);
        assertThatThrownBy(() -> cipher.decrypt("app", "field", tampered)).isInstanceOf(PloyerException.class);
    }

    @Test
    void legacyPlainRowsReadAsTheyAre() {
        SecretCipher cipher = new SecretCipher(SecretKeyRing.parse(KEY_A));
        assertThat(cipher.decrypt("app", "field", "written before encryption")).isEqualTo("written before encryption");
        assertThat(cipher.needsReencryption("written before encryption")).isTrue();
    }

    @Test
    void theFirstKeyEncryptsAndEveryKeyDecrypts() {
        SecretCipher old = new SecretCipher(SecretKeyRing.parse(KEY_A));
        String stored = old.encrypt("app", "field", "value");
        SecretCipher rotated = new SecretCipher(SecretKeyRing.parse(KEY_B + "," + KEY_A));
        assertThat(rotated.decrypt("app", "field", stored)).isEqualTo("value");
        assertThat(rotated.needsReencryption(stored)).isTrue();
        String moved = rotated.reencrypt("app", "field", stored);
        assertThat(moved).startsWith("ENC:v1:b:");
        assertThat(rotated.needsReencryption(moved)).isFalse();
        assertThatThrownBy(() -> old.decrypt("app", "field", moved)).isInstanceOfSatisfying(PloyerException.class,
                error -> assertThat(error.getMessage()).contains("'b'").contains("[a]"));
    }

    @Test
    void badKeySpecsAreConfigurationErrorsThatShowNoKeyMaterial() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        for (String spec : List.of("", "not base64!", shortKey, "a:" + shortKey, "bad id:" + shortKey, KEY_A + "," + KEY_A,
                KEY_A + "," + Base64.getEncoder().encodeToString(new byte[32]))) {
            assertThatThrownBy(() -> SecretKeyRing.parse(spec)).isInstanceOfSatisfying(PloyerException.class, error -> {
                assertThat(error.code()).isEqualTo(StandardErrorCode.CONFIGURATION);
                if (!spec.isEmpty()) {
                    assertThat(error.getMessage()).doesNotContain(spec.contains(":") ? spec.substring(spec.indexOf(':') + 1) : spec);
                }
            });
        }
        assertThat(SecretKeyRing.parse(KEY_B + "," + KEY_A).toString()).doesNotContain(KEY_A.substring(2));
    }

    @Test
    void theKeyFileIsCreatedOwnerOnlyReusedAndRefusedWhenOthersCanReadIt() throws IOException {
        Path file = directory.resolve("secret.key");
        SecretKeyRing created = SecretKeyRing.loadOrCreateKeyFile(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        SecretKeyRing again = SecretKeyRing.loadOrCreateKeyFile(file);
        String stored = new SecretCipher(created).encrypt("app", "f", "v");
        assertThat(new SecretCipher(again).decrypt("app", "f", stored)).isEqualTo("v");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> SecretKeyRing.loadOrCreateKeyFile(file)).isInstanceOfSatisfying(PloyerException.class,
                error -> assertThat(error.getMessage()).contains("chmod 600"));
    }

    @Test
    void theKeyCheckStopsAWrongOrMissingKeyAndAcceptsARotation() {
        SecretCipher original = new SecretCipher(SecretKeyRing.parse(KEY_A));
        String check = KeyCheck.create(original);
        assertThat(KeyCheck.verify(original, Optional.of(check), true)).isFalse();
        assertThat(KeyCheck.verify(new SecretCipher(SecretKeyRing.parse(KEY_B + "," + KEY_A)), Optional.of(check), true)).isTrue();
        assertThatThrownBy(() -> KeyCheck.verify(new SecretCipher(SecretKeyRing.parse(KEY_B)), Optional.of(check), true))
                .isInstanceOfSatisfying(PloyerException.class, error -> {
                    assertThat(error.code()).isEqualTo(StandardErrorCode.SECRET_KEY_MISMATCH);
                    assertThat(error.getMessage()).contains("'a'").contains("PLOYER_SECRET");
                });
        String sameIdOtherBytes = "a:" + Base64.getEncoder().encodeToString(filled(9));
        assertThatThrownBy(() -> KeyCheck.verify(new SecretCipher(SecretKeyRing.parse(sameIdOtherBytes)), Optional.of(check), true))
                .isInstanceOf(PloyerException.class);
        assertThatThrownBy(() -> KeyCheck.verify(original, Optional.empty(), true)).isInstanceOf(PloyerException.class);
        assertThat(KeyCheck.verify(original, Optional.empty(), false)).isTrue();
    }

    @Test
    void theRedactorMasksEverySecretLongestFirstAndLeavesTheRest() {
        SecretRedactor redactor = new SecretRedactor();
        redactor.register("app-1", List.of("hunter2hunter2", "hunter2", "on"));
        redactor.register("app-2", List.of("other-secret"));
        assertThat(redactor.redact("password=hunter2hunter2 alt=hunter2 other-secret switch on"))
                .isEqualTo("password=******** alt=******** ******** switch on");
        redactor.forget("app-2");
        assertThat(redactor.redact("other-secret")).isEqualTo("other-secret");
    }
}
