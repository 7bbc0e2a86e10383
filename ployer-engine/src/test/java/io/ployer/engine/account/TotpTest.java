package io.ployer.engine.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** RFC 6238 Appendix B's SHA-1 test vectors (8 digits), the ±1 step window, base32 (RFC 4648 vectors). */
class TotpTest {
    private static final byte[] SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @Test
    void rfc6238AppendixBSha1Vectors() {
        long[][] vectors = {{59L, 94287082L}, {1111111109L, 7081804L}, {1111111111L, 14050471L},
                {1234567890L, 89005924L}, {2000000000L, 69279037L}, {20000000000L, 65353130L}};
        for (long[] vector : vectors) {
            assertThat(Totp.code(SECRET, Totp.step(vector[0]), 8)).as("T=" + vector[0])
                    .isEqualTo(String.format("%08d", vector[1]));
        }
    }

    @Test
    void sixDigitCodesAreTheLastSixOfTheEightAndMatchOneStepEitherWay() {
        long step = Totp.step(59);
        String code = Totp.code(SECRET, step, 6);
        assertThat(code).isEqualTo("287082");
        assertThat(Totp.matchingStep(SECRET, step, code)).isEqualTo(step);
        assertThat(Totp.matchingStep(SECRET, step + 1, code)).isEqualTo(step);
        assertThat(Totp.matchingStep(SECRET, step - 1, code)).isEqualTo(step);
        assertThat(Totp.matchingStep(SECRET, step + 2, code)).isEqualTo(-1);
        assertThat(Totp.matchingStep(SECRET, step, "28708")).isEqualTo(-1);
        assertThat(Totp.matchingStep(SECRET, step, "28708x")).isEqualTo(-1);
    }

    @Test
    void base32FollowsRfc4648() {
        assertThat(Totp.base32("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
        assertThat(Totp.base32("f".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MY");
        assertThat(new String(Totp.fromBase32("mzxw6ytboi======"), StandardCharsets.US_ASCII)).isEqualTo("foobar");
        assertThat(Totp.base32(SECRET)).isEqualTo("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    }

    @Test
    void wellKnownPasswordsAreRefusedAndOthersPass() {
        assertThat(PasswordPolicy.isCommon("Password1")).isTrue();
        assertThat(PasswordPolicy.isCommon("qwertyuiop")).isTrue();
        assertThat(PasswordPolicy.isCommon("correct horse battery")).isFalse();
    }
}
