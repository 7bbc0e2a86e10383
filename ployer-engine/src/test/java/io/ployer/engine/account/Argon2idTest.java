package io.ployer.engine.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

/** Ployer's own Argon2id and BLAKE2b against RFC 9106's and RFC 7693's vectors and against BouncyCastle. */
class Argon2idTest {
    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    @Test
    void rfc9106TestVectorForArgon2id() {
        byte[] tag = Argon2id.hash(filled(32, 1), filled(16, 2), filled(8, 3), filled(12, 4), 32, 3, 4, 32);
        assertThat(HexFormat.of().formatHex(tag))
                .isEqualTo("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
    }

    @Test
    void rfc7693TestVectorForBlake2b() {
        byte[] digest = new Argon2id.Blake2b(64).update("abc".getBytes(StandardCharsets.US_ASCII)).digest();
        assertThat(HexFormat.of().formatHex(digest)).isEqualTo(
                "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
                        + "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923");
    }

    @Test
    void blake2bMatchesBouncyCastleForEveryLengthAcrossBlockBoundaries() {
        Random random = new Random(7);
        for (int length : new int[] {0, 1, 127, 128, 129, 255, 256, 257, 1000}) {
            byte[] input = new byte[length];
            random.nextBytes(input);
            for (int digestLength : new int[] {1, 32, 48, 64}) {
                Blake2bDigest reference = new Blake2bDigest(digestLength * 8);
                reference.update(input, 0, input.length);
                byte[] expected = new byte[digestLength];
                reference.doFinal(expected, 0);
                assertThat(new Argon2id.Blake2b(digestLength).update(input).digest()).as("%d bytes -> %d", length, digestLength)
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void matchesBouncyCastleAcrossParameters() {
        Random random = new Random(42);
        int[][] parameters = {{8, 1, 1, 32}, {64, 2, 1, 32}, {256, 3, 2, 16}, {1024, 2, 1, 64}, {100, 1, 3, 100}, {2048, 1, 4, 32},
                {19_456, 2, 1, 32}};
        for (int[] p : parameters) {
            byte[] password = new byte[1 + random.nextInt(40)];
            byte[] salt = new byte[16];
            random.nextBytes(password);
            random.nextBytes(salt);
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                    .withMemoryAsKB(p[0]).withIterations(p[1]).withParallelism(p[2]).withSalt(salt).build());
            byte[] expected = new byte[p[3]];
            generator.generateBytes(password, expected);
            assertThat(Argon2id.hash(password, salt, new byte[0], new byte[0], p[0], p[1], p[2], p[3]))
                    .as("m=%d t=%d p=%d length=%d", p[0], p[1], p[2], p[3]).isEqualTo(expected);
        }
    }

    @Test
    void hashesMadeBeforeTheSwitchStillVerify() {
        // A PHC string computed by BouncyCastle, as stored by earlier releases.
        byte[] salt = filled(16, 9);
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(19_456).withIterations(2).withParallelism(1).withSalt(salt).build());
        byte[] hash = new byte[32];
        generator.generateBytes("a long passphrase".getBytes(StandardCharsets.UTF_8), hash);
        java.util.Base64.Encoder encoder = java.util.Base64.getEncoder().withoutPadding();
        String stored = "$argon2id$v=19$m=19456,t=2,p=1$" + encoder.encodeToString(salt) + "$" + encoder.encodeToString(hash);
        PasswordHasher hasher = PasswordHasher.standard();
        assertThat(hasher.verify("a long passphrase", stored)).isTrue();
        assertThat(hasher.verify("a long passphrasf", stored)).isFalse();
    }
}
