package io.ployer.engine.account;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.account.AccountService.TotpEnrolment;
import io.ployer.api.account.AccountService.TotpStatus;
import io.ployer.api.account.User;
import io.ployer.engine.secret.SecretCipher;
import io.ployer.spi.storage.Storage;
import io.ployer.spi.storage.TotpStore.TotpFactor;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The second factor of {@link DefaultAccountService}: TOTP enrolment, confirmation and removal,
 * recovery codes, and the throttle on wrong codes and passwords (5 a user per 5 minutes).
 */
final class SecondFactors {
    private final Storage storage;
    private final Clock clock;
    private final PasswordHasher hasher;
    /** The cipher TOTP secrets are stored with ({@code null}: no second factor on this service). */
    private final SecretCipher cipher;
    /** Whether every user must turn TOTP on before doing anything else. */
    private final boolean requireTotp;
    /** Wrong second-factor codes: 5 a user per 5 minutes. */
    private final CodeThrottle codeThrottle;
    private final SecureRandom random;

    SecondFactors(Storage storage, Clock clock, PasswordHasher hasher, SecretCipher cipher, boolean requireTotp, SecureRandom random) {
        this.storage = storage;
        this.clock = clock;
        this.hasher = hasher;
        this.cipher = cipher;
        this.requireTotp = requireTotp;
        this.codeThrottle = new CodeThrottle(clock, 5, Duration.ofMinutes(5));
        this.random = random;
    }

    private Optional<TotpFactor> factor(String userId) {
        if (cipher == null) {
            return Optional.empty();
        }
        try {
            return storage.totp().find(userId);
        } catch (UnsupportedOperationException noSecondFactors) {
            return Optional.empty();
        }
    }

    Optional<TotpFactor> confirmedFactor(String userId) {
        return factor(userId).filter(found -> found.confirmedAt() != null);
    }

    /** Whether this instance requires TOTP and the user has not turned it on yet. */
    boolean enrolmentPending(String userId) {
        return requireTotp && confirmedFactor(userId).isEmpty();
    }

    void requireTotpSupport() {
        if (cipher == null) {
            throw new PloyerException(StandardErrorCode.INVALID_STATE, "two-factor authentication is not available on this service");
        }
    }

    private void throwIfThrottled(String key) {
        Duration wait = codeThrottle.waitFor(key);
        if (!wait.isZero() && !wait.isNegative()) {
            throw new PloyerException(StandardErrorCode.LIMIT_EXCEEDED,
                    "too many wrong codes or passwords; try again in " + Math.max(1, wait.toSeconds()) + " s");
        }
    }

    /**
     * Checks a user's password under the code throttle ({@code password:<user>}): INVALID_ARGUMENT
     * naming {@code field} with {@code rule} when it is wrong.
     */
    void verifyPassword(String userId, String password, String hash, String field, String rule) {
        String key = "password:" + userId;
        throwIfThrottled(key);
        if (!hasher.verify(password.length() > 256 ? "" : password, hash)) {
            codeThrottle.failed(key);
            throw PloyerException.invalid(field, rule);
        }
        codeThrottle.succeeded(key);
    }

    private byte[] secretOf(TotpFactor factor) {
        return Totp.fromBase32(cipher.decrypt(factor.userId(), DefaultAccountService.TOTP_SECRET_FIELD, factor.secret()));
    }

    /** Checks a TOTP code (refusing replays) or a recovery code (using it up), throttling wrong ones. */
    void verifySecondFactor(TotpFactor factor, String totpCode, String recoveryCode) {
        String key = "totp:" + factor.userId();
        throwIfThrottled(key);
        if (!isBlank(totpCode)) {
            long step = Totp.matchingStep(secretOf(factor), Totp.step(clock.instant().getEpochSecond()), totpCode.strip());
            if (step < 0) {
                codeThrottle.failed(key);
                throw new PloyerException(StandardErrorCode.UNAUTHENTICATED, "totp",
                        "the code is wrong or expired; enter the code your authenticator shows now", null);
            }
            if (!storage.inTransaction(tx -> tx.totp().advanceStep(factor.userId(), step))) {
                codeThrottle.failed(key);
                throw new PloyerException(StandardErrorCode.UNAUTHENTICATED, "totp",
                        "this code was already used; wait for your authenticator's next code", null);
            }
        } else {
            String hash = DefaultAccountService.sha256(normaliseRecoveryCode(recoveryCode));
            if (!storage.inTransaction(tx -> tx.totp().useRecoveryCode(factor.userId(), hash, clock.instant()))) {
                codeThrottle.failed(key);
                throw new PloyerException(StandardErrorCode.UNAUTHENTICATED, "recovery_code",
                        "the recovery code is wrong or was already used", null);
            }
        }
        codeThrottle.succeeded(key);
    }

    static String normaliseRecoveryCode(String code) {
        return code.strip().toLowerCase(Locale.ROOT).replace("-", "").replace(" ", "");
    }

    TotpEnrolment enrol(User user) {
        requireTotpSupport();
        if (confirmedFactor(user.id()).isPresent()) {
            throw PloyerException.conflict("totp", "two-factor authentication is already on; turn it off first to enrol again");
        }
        byte[] secret = new byte[20];
        random.nextBytes(secret);
        String base32 = Totp.base32(secret);
        storage.inTransaction(tx -> {
            tx.totp().put(new TotpFactor(user.id(), cipher.encrypt(user.id(), DefaultAccountService.TOTP_SECRET_FIELD, base32),
                    clock.instant(), null, null));
            return null;
        });
        String label = java.net.URLEncoder.encode("Ployer:" + user.email(), StandardCharsets.UTF_8)
                .replace("+", "%20").replace("%40", "@").replace("%3A", ":");
        return new TotpEnrolment(base32, "otpauth://totp/" + label + "?secret=" + base32
                + "&issuer=Ployer&algorithm=SHA1&digits=6&period=30");
    }

    /** Confirms an enrolment with a current code; the recovery codes, in plain, once. {@code forgetCached} runs before the write. */
    List<String> confirm(String userId, String code, Runnable forgetCached) {
        requireTotpSupport();
        if (isBlank(code)) {
            throw PloyerException.invalid("code", "is required: the 6-digit code your authenticator shows");
        }
        TotpFactor factor = factor(userId).orElseThrow(() -> new PloyerException(StandardErrorCode.INVALID_STATE,
                "no enrolment to confirm; start one with POST /auth/totp"));
        if (factor.confirmedAt() != null) {
            throw PloyerException.conflict("totp", "two-factor authentication is already on");
        }
        String key = "totp:" + userId;
        throwIfThrottled(key);
        long step = Totp.matchingStep(secretOf(factor), Totp.step(clock.instant().getEpochSecond()), code.strip());
        if (step < 0) {
            codeThrottle.failed(key);
            throw PloyerException.invalid("code", "is not the code your authenticator shows now (6 digits)");
        }
        codeThrottle.succeeded(key);
        List<String> codes = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            byte[] bytes = new byte[8];
            random.nextBytes(bytes);
            String plain = Totp.base32(bytes).toLowerCase(Locale.ROOT).substring(0, 12);
            codes.add(plain.substring(0, 4) + "-" + plain.substring(4, 8) + "-" + plain.substring(8, 12));
        }
        forgetCached.run();
        storage.inTransaction(tx -> {
            tx.totp().advanceStep(userId, step);
            tx.totp().confirm(userId, clock.instant());
            tx.totp().replaceRecoveryCodes(userId, codes.stream()
                    .map(plain -> DefaultAccountService.sha256(normaliseRecoveryCode(plain))).toList());
            return null;
        });
        return List.copyOf(codes);
    }

    /** Turns TOTP off with a current code or the password; {@code forgetCached} runs before the write. */
    void disable(User user, String code, String password, Runnable forgetCached) {
        requireTotpSupport();
        String userId = user.id();
        TotpFactor factor = factor(userId).orElseThrow(() -> new PloyerException(StandardErrorCode.INVALID_STATE,
                "two-factor authentication is not on"));
        if (factor.confirmedAt() != null) {
            if (!isBlank(code)) {
                verifySecondFactor(factor, code, null);
            } else if (password != null && !password.isEmpty()) {
                verifyPassword(userId, password, user.passwordHash(), "password", "is not your password");
            } else {
                throw PloyerException.invalid("code", "is required (a current code of your authenticator), or send your password");
            }
        }
        forgetCached.run();
        storage.inTransaction(tx -> tx.totp().delete(userId));
    }

    TotpStatus status(String userId) {
        Optional<TotpFactor> factor = factor(userId);
        boolean enabled = factor.map(found -> found.confirmedAt() != null).orElse(false);
        return new TotpStatus(enabled, factor.isPresent() && !enabled,
                enabled ? storage.totp().unusedRecoveryCodes(userId) : 0, requireTotp);
    }

    static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
