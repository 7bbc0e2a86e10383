package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server gives the heap back after password hashing (argon2id's 19 MiB bursts): a
 * collection once register/login requests are quiet, none for other requests.
 */
class HeapTrimmerTest {
    @TempDir
    Path data;

    @Test
    void oneCollectionAfterABurstOfLoginsAndNoneForOtherRequests() throws Exception {
        try (ServerFixture fixture = new ServerFixture(data)) {
            String credentials = "{\"email\":\"admin@example.com\",\"password\":\"a long passphrase\"}";
            assertThat(fixture.send("GET", "/health", null, (String) null).status()).isEqualTo(200);
            assertThat(fixture.send("POST", "/auth/register", null, credentials).status()).isEqualTo(201);
            for (int i = 0; i < 3; i++) {
                assertThat(fixture.send("POST", "/auth/login", null, credentials).status()).isEqualTo(200);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (fixture.server.heapCollectionsAfterHashing() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            // Usually one (the four requests are one burst); more only if a hash took longer than the quiet period.
            long afterLogins = fixture.server.heapCollectionsAfterHashing();
            assertThat(afterLogins).isBetween(1L, 4L);
            for (int i = 0; i < 5; i++) {
                fixture.send("GET", "/health", null, (String) null);
            }
            Thread.sleep(2 * 2000 + 500);
            assertThat(fixture.server.heapCollectionsAfterHashing()).isEqualTo(afterLogins);
        }
    }
}
