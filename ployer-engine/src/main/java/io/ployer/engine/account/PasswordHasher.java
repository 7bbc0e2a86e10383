package io.ployer.engine.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * argon2id password hashes in the PHC string format ({@code $argon2id$v=19$m=…,t=…,p=…$salt$hash}),
 * computed by {@link Argon2id} (the JDK alone: see there why not BouncyCastle). The defaults follow
 * OWASP's minimum (19 MiB, 2 iterations, 1 lane).
 */
public final class PasswordHasher {
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getDecoder();

    /**
     * Hashes computed at once by one engine: each holds {@code memoryKibibytes} of heap (19 MiB by
     * default), so a burst of logins queues here instead of exhausting the heap or the CPU.
     */
    static final int CONCURRENT_HASHES = 2;
    private final java.util.concurrent.Semaphore permits = new java.util.concurrent.Semaphore(CONCURRENT_HASHES, true);

    private final java.util.concurrent.atomic.AtomicInteger peakInFlight = new java.util.concurrent.atomic.AtomicInteger();

    private final int memoryKibibytes;
    private final int iterations;
    private final SecureRandom random = new SecureRandom();

    public PasswordHasher(int memoryKibibytes, int iterations) {
        if (memoryKibibytes < 19_456 || iterations < 2) {
            throw new IllegalArgumentException("argon2id needs at least 19 MiB and 2 iterations");
        }
        this.memoryKibibytes = memoryKibibytes;
        this.iterations = iterations;
    }

    /** The OWASP minimum parameters. */
    public static PasswordHasher standard() {
        return new PasswordHasher(19_456, 2);
    }

    public String hash(String password) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        byte[] hash = derive(password, salt, memoryKibibytes, iterations, 1, 32);
        return "$argon2id$v=19$m=" + memoryKibibytes + ",t=" + iterations + ",p=1$" + ENCODER.encodeToString(salt)
                + "$" + ENCODER.encodeToString(hash);
    }

    /** Whether {@code password} matches {@code encoded}, compared in constant time. */
    public boolean verify(String password, String encoded) {
        Matcher matcher = PHC.matcher(encoded);
        if (!matcher.matches()) {
            return false;
        }
        byte[] salt = DECODER.decode(matcher.group(4));
        byte[] expected = DECODER.decode(matcher.group(5));
        byte[] actual = derive(password, salt, Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
                Integer.parseInt(matcher.group(3)), expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    private byte[] derive(String password, byte[] salt, int memory, int iterations, int lanes, int length) {
        permits.acquireUninterruptibly();
        try {
            peakInFlight.accumulateAndGet(CONCURRENT_HASHES - permits.availablePermits(), Math::max);
            return deriveNow(password, salt, memory, iterations, lanes, length);
        } finally {
            permits.release();
        }
    }

    /** The most hashes this hasher has computed at the same time. */
    int peakInFlight() {
        return peakInFlight.get();
    }

    private static byte[] deriveNow(String password, byte[] salt, int memory, int iterations, int lanes, int length) {
        return Argon2id.hash(password.getBytes(StandardCharsets.UTF_8), salt, new byte[0], new byte[0], memory, iterations, lanes,
                length);
    }
}
