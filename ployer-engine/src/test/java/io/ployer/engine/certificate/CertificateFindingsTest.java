package io.ployer.engine.certificate;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.application.CertificateCheck;
import io.ployer.api.event.PloyerEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A certificate problem is told once, a new one again, its end once; a failed handshake only when it lasts. */
class CertificateFindingsTest {
    private static final CertificateFindings.Key SHOP = new CertificateFindings.Key("app-1", "shop.example.com");
    private static final Instant EXPIRES = Instant.parse("2026-12-10T00:00:00Z");
    private final CertificateFindings findings = new CertificateFindings(2);
    private Instant now = Instant.parse("2026-12-01T00:00:00Z");

    private Optional<PloyerEvent> check(CertificateFindings.Key key, String status) {
        now = now.plusSeconds(3600);
        return findings.observe(key, new CertificateCheck(status, status + " of " + key.hostname(),
                status.equals("unreachable") ? null : EXPIRES, null, now));
    }

    @Test
    void aProblemIsToldOnceAndItsEndOnce() {
        assertThat(check(SHOP, "ok")).isEmpty();
        PloyerEvent told = check(SHOP, "expiring").orElseThrow();
        assertThat(told).isInstanceOfSatisfying(PloyerEvent.CertificateProblem.class, problem -> {
            assertThat(problem.applicationId()).isEqualTo("app-1");
            assertThat(problem.hostname()).isEqualTo("shop.example.com");
            assertThat(problem.problem()).isEqualTo("expiring");
            assertThat(problem.detail()).isEqualTo("expiring of shop.example.com");
            assertThat(problem.expiresAt()).isEqualTo(EXPIRES);
            assertThat(problem.at()).isEqualTo(now);
        });
        for (int tick = 0; tick < 5; tick++) {
            assertThat(check(SHOP, "expiring")).as("tick %d repeats nothing", tick).isEmpty();
        }
        assertThat(check(SHOP, "expired").orElseThrow()).isInstanceOfSatisfying(PloyerEvent.CertificateProblem.class,
                problem -> assertThat(problem.problem()).isEqualTo("expired"));
        assertThat(check(SHOP, "expired")).isEmpty();
        assertThat(check(SHOP, "ok").orElseThrow()).isInstanceOfSatisfying(PloyerEvent.CertificateRecovered.class, recovered -> {
            assertThat(recovered.previousProblem()).isEqualTo("expired");
            assertThat(recovered.hostname()).isEqualTo("shop.example.com");
            assertThat(recovered.expiresAt()).isEqualTo(EXPIRES);
        });
        assertThat(check(SHOP, "ok")).isEmpty();
        assertThat(check(SHOP, "hostname-mismatch")).isPresent();
    }

    @Test
    void aFailedHandshakeIsToldWhenTheNextCheckFailsToo() {
        assertThat(check(SHOP, "unreachable")).as("a certificate may be being obtained").isEmpty();
        assertThat(check(SHOP, "ok")).as("it was: nothing was told, nothing recovers").isEmpty();
        assertThat(check(SHOP, "unreachable")).isEmpty();
        assertThat(check(SHOP, "unreachable").orElseThrow()).isInstanceOfSatisfying(PloyerEvent.CertificateProblem.class,
                problem -> {
                    assertThat(problem.problem()).isEqualTo("unreachable");
                    assertThat(problem.expiresAt()).isNull();
                });
        assertThat(check(SHOP, "unreachable")).isEmpty();
        assertThat(check(SHOP, "ok")).containsInstanceOf(PloyerEvent.CertificateRecovered.class);
    }

    @Test
    void anExpiringCertificateThatBrieflyFailsTheHandshakeIsNotToldTwice() {
        assertThat(check(SHOP, "expiring")).isPresent();
        assertThat(check(SHOP, "unreachable")).isEmpty();
        assertThat(check(SHOP, "expiring")).as("still the problem told").isEmpty();
    }

    @Test
    void domainsAreTrackedApartAndForgottenWhenNoLongerChecked() {
        CertificateFindings.Key blog = new CertificateFindings.Key("app-2", "blog.example.com");
        assertThat(check(SHOP, "expiring")).isPresent();
        assertThat(check(blog, "expiring")).as("another domain's problem is its own").isPresent();
        findings.retain(Set.of(blog)::contains);
        assertThat(findings.told(SHOP)).isEmpty();
        assertThat(findings.told(blog)).contains("expiring");
        assertThat(check(SHOP, "ok")).as("a forgotten domain recovers silently").isEmpty();
        assertThat(check(SHOP, "expiring")).as("and is told again when it comes back with the problem").isPresent();
    }

    @Test
    void aCertificateCoversItsNamesAndOneLabelUnderAWildcard() {
        assertThat(CertificateProbe.covers(List.of("shop.example.com"), "SHOP.example.com")).isTrue();
        assertThat(CertificateProbe.covers(List.of("*.example.com"), "shop.example.com")).isTrue();
        assertThat(CertificateProbe.covers(List.of("*.example.com"), "a.shop.example.com")).isFalse();
        assertThat(CertificateProbe.covers(List.of("*.example.com"), "example.com")).isFalse();
        assertThat(CertificateProbe.covers(List.of("blog.example.com"), "shop.example.com")).isFalse();
        assertThat(CertificateProbe.covers(List.of(), "shop.example.com")).isFalse();
    }

    @Test
    void theProblemsToldAreKeptOverARestart() {
        CertificateFindings.Key blog = new CertificateFindings.Key("app-2", "blog.example.com");
        assertThat(check(SHOP, "expiring")).isPresent();
        assertThat(check(blog, "unreachable")).as("not told yet").isEmpty();
        String saved = findings.saved();
        assertThat(saved).isEqualTo("app-1\tshop.example.com\texpiring\n");

        CertificateFindings restarted = new CertificateFindings(2);
        restarted.restore(saved);
        assertThat(restarted.told(SHOP)).contains("expiring");
        assertThat(restarted.observe(SHOP, new CertificateCheck("expiring", "still", EXPIRES, null, now))).isEmpty();
        assertThat(restarted.observe(SHOP, new CertificateCheck("ok", "renewed", EXPIRES, null, now)))
                .containsInstanceOf(PloyerEvent.CertificateRecovered.class);
        assertThat(restarted.saved()).isEmpty();
        restarted.restore("not\ta line of three\tparts\tbut four\n\n");
        assertThat(restarted.saved()).isEmpty();
    }
}
