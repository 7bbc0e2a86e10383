package io.ployer.engine.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How long a resolved credential is remembered: a few seconds, never past its own expiry. */
class RememberedLoginTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aCredentialFarFromItsExpiryIsRememberedForTheCacheLifetime() {
        assertThat(RecentCredentials.rememberUntil(NOW, NOW.plusSeconds(3600)))
                .isEqualTo(NOW.plus(RecentCredentials.CACHE_LIFETIME));
        // An API key without an expiry.
        assertThat(RecentCredentials.rememberUntil(NOW, null)).isEqualTo(NOW.plus(RecentCredentials.CACHE_LIFETIME));
    }

    @Test
    void aCredentialAboutToExpireIsRememberedOnlyUntilItExpires() {
        assertThat(RecentCredentials.rememberUntil(NOW, NOW.plusSeconds(1))).isEqualTo(NOW.plusSeconds(1));
        assertThat(RecentCredentials.rememberUntil(NOW, NOW.plusMillis(1))).isEqualTo(NOW.plusMillis(1));
    }
}
