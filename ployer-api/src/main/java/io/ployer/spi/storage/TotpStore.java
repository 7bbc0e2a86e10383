package io.ployer.spi.storage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Users' TOTP second factors (the shared secret stored as given, encrypted by the engine) and their
 * recovery codes (stored as hashes, each usable once).
 */
public interface TotpStore {
    /**
     * A user's second factor.
     *
     * @param userId      owner
     * @param secret      the shared secret, encrypted
     * @param createdAt   enrolment time
     * @param confirmedAt when a first code confirmed it, or {@code null} while pending (not yet in force)
     * @param lastStep    the last time step a code was accepted for (replay protection), or {@code null}
     */
    record TotpFactor(String userId, String secret, Instant createdAt, Instant confirmedAt, Long lastStep) {
    }

    Optional<TotpFactor> find(String userId);

    /** Sets or replaces a user's factor (and drops the user's recovery codes when it replaces one). */
    void put(TotpFactor factor);

    /** Removes a user's factor and recovery codes; whether there was one. */
    boolean delete(String userId);

    /**
     * Records that a code of {@code step} was accepted, only if no code of this or a later step was:
     * whether it was recorded (false means a replay).
     */
    boolean advanceStep(String userId, long step);

    /** Marks the factor confirmed at {@code at}. */
    void confirm(String userId, Instant at);

    /** Replaces a user's recovery codes with these hashes. */
    void replaceRecoveryCodes(String userId, List<String> codeHashes);

    /** Marks an unused recovery code used at {@code at}: whether there was one (each works once). */
    boolean useRecoveryCode(String userId, String codeHash, Instant at);

    /** How many unused recovery codes a user has. */
    int unusedRecoveryCodes(String userId);

    /** Every user's encrypted secret, by user id (for key rotation). */
    java.util.Map<String, String> listSecrets();

    /** Replaces the stored (encrypted) secret of a user's factor (for key rotation). */
    void replaceSecret(String userId, String secret);
}
