package io.ployer.engine.certificate;

import io.ployer.api.application.CertificateCheck;
import io.ployer.api.event.PloyerEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which certificate problems have been told, so each is told once: a problem is raised when a
 * domain's check first finds it (or finds another one), never again at every check while it lasts,
 * and a recovery is raised when a domain whose problem was told checks fine again. A failed
 * handshake is told only when the next check fails too: a certificate being obtained right after
 * a deployment fails the handshake for a moment. Not thread-safe: the monitor's one thread uses it.
 */
final class CertificateFindings {
    static final String UNREACHABLE = "unreachable";

    /** A domain of an application. */
    record Key(String applicationId, String hostname) {
    }

    /** The problem told (null: none), and the failed handshakes seen in a row and not yet told. */
    private record Told(String problem, int unconfirmedFailures) {
    }

    private final int handshakeFailuresToTell;
    private final Map<Key, Told> told = new HashMap<>();

    CertificateFindings(int handshakeFailuresToTell) {
        this.handshakeFailuresToTell = Math.max(1, handshakeFailuresToTell);
    }

    /** The event a check is worth, if any, and remembers what was told. */
    Optional<PloyerEvent> observe(Key key, CertificateCheck check) {
        Told before = told.getOrDefault(key, new Told(null, 0));
        if (check.ok()) {
            told.put(key, new Told(null, 0));
            return before.problem() == null ? Optional.empty() : Optional.of(new PloyerEvent.CertificateRecovered(
                    key.applicationId(), key.hostname(), before.problem(), check.expiresAt(), check.checkedAt()));
        }
        if (check.status().equals(before.problem())) {
            return Optional.empty();
        }
        if (check.status().equals(UNREACHABLE)) {
            int failures = before.unconfirmedFailures() + 1;
            if (failures < handshakeFailuresToTell) {
                told.put(key, new Told(before.problem(), failures));
                return Optional.empty();
            }
        }
        told.put(key, new Told(check.status(), 0));
        return Optional.of(new PloyerEvent.CertificateProblem(key.applicationId(), key.hostname(), check.status(), check.detail(),
                check.expiresAt(), check.checkedAt()));
    }

    /** Forgets the domains not to be checked any more (the application stopped, the domain went): nothing is raised for them. */
    void retain(java.util.function.Predicate<Key> kept) {
        told.keySet().removeIf(kept.negate());
    }

    /** Every problem told, one line each ({@code application, hostname, problem} tab-separated), to be kept over a restart. */
    String saved() {
        StringBuilder lines = new StringBuilder();
        told.entrySet().stream().filter(entry -> entry.getValue().problem() != null)
                .sorted(java.util.Comparator.comparing((Map.Entry<Key, Told> entry) -> entry.getKey().hostname())
                        .thenComparing(entry -> entry.getKey().applicationId()))
                .forEach(entry -> lines.append(entry.getKey().applicationId()).append('\t').append(entry.getKey().hostname())
                        .append('\t').append(entry.getValue().problem()).append('\n'));
        return lines.toString();
    }

    /** Takes back the problems {@link #saved()} told before a restart, so they are not told again. */
    void restore(String saved) {
        for (String line : saved.split("\n")) {
            String[] parts = line.split("\t");
            if (parts.length == 3) {
                told.put(new Key(parts[0], parts[1]), new Told(parts[2], 0));
            }
        }
    }

    /** The problem told for a domain, if one is. */
    Optional<String> told(Key key) {
        return Optional.ofNullable(told.get(key)).map(Told::problem);
    }
}
