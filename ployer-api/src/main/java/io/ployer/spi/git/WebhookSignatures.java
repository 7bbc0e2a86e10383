package io.ployer.spi.git;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The checks forges' webhook signatures need, with JDK primitives: HMAC-SHA256 over the raw body
 * and comparisons in constant time, so a forged signature cannot be found byte by byte.
 */
public final class WebhookSignatures {
    private WebhookSignatures() {
    }

    /** Lower-case hex HMAC-SHA256 of {@code body} keyed by {@code secret}. */
    public static String hmacSha256Hex(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Whether {@code given} (hex, any case) is the HMAC-SHA256 of {@code body}; constant time. */
    public static boolean hmacMatches(String secret, byte[] body, String given) {
        if (given == null) {
            return false;
        }
        return constantTimeEquals(hmacSha256Hex(secret, body), given.strip().toLowerCase(Locale.ROOT));
    }

    /**
     * Verifies an HMAC-SHA256 signature header over the request's raw body: the first present
     * header of {@code headers}, whose value is {@code prefix} followed by the hex digest. The
     * reasons it gives name the header, never the secret or the expected digest.
     */
    public static Verification verifyHmacHeader(WebhookRequest request, String secret, String prefix, String... headers) {
        Optional<String> value = Optional.empty();
        for (String header : headers) {
            value = value.or(() -> request.header(header));
        }
        if (value.isEmpty()) {
            return new Verification.Rejected("missing " + String.join(" (or ", headers) + (headers.length > 1 ? ")" : "") + " header");
        }
        String signature = value.get().strip();
        if (!signature.startsWith(prefix) || !hmacMatches(secret, request.body(), signature.substring(prefix.length()))) {
            return new Verification.Rejected("signature does not match");
        }
        return new Verification.Verified();
    }

    /** Compares two strings in time that does not depend on where they differ. */
    public static boolean constantTimeEquals(String expected, String given) {
        if (expected == null || given == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
