package io.ployer.engine.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private final PasswordHasher hasher = PasswordHasher.standard();

    @Test
    void hashesInThePhcFormatAndVerifiesOnlyTheRightPassword() {
        String encoded = hasher.hash("correct horse");
        assertThat(encoded).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").doesNotContain("correct horse");
        assertThat(hasher.verify("correct horse", encoded)).isTrue();
        assertThat(hasher.verify("correct horsE", encoded)).isFalse();
        assertThat(hasher.verify("correct horse", "$argon2id$not-a-hash")).isFalse();
        assertThat(hasher.hash("correct horse")).isNotEqualTo(encoded); // a fresh salt each time
    }

    @Test
    void aBurstOfHashesQueuesBehindTheConcurrencyLimit() throws Exception {
        // Each hash holds 19 MiB of heap: eight at once must not mean 152 MiB at once.
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String password = "password-" + i;
                results.add(pool.submit(() -> hasher.verify(password, hasher.hash(password))));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(hasher.peakInFlight()).isBetween(1, PasswordHasher.CONCURRENT_HASHES);
    }
}
