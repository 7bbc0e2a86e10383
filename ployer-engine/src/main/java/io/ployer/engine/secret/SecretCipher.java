package io.ployer.engine.secret;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM encryption of secret values as {@code ENC:v1:<key-id>:<base64(nonce ‖ ciphertext ‖ tag)>}
 * with a random 96-bit nonce and the owner id and field name as associated data, so a value copied
 * to another owner or field does not decrypt. Values without the prefix are legacy plain rows.
 */
public final class SecretCipher {
    /** The prefix of every encrypted value. */
    public static final String PREFIX = "ENC:v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeyRing ring;
    private final SecureRandom random = new SecureRandom();

    public SecretCipher(SecretKeyRing ring) {
        this.ring = ring;
    }

    /** The keys in use. */
    public SecretKeyRing keyRing() {
        return ring;
    }

    public String encrypt(String ownerId, String field, String plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, ring.primaryKey(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(ownerId, field));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] stored = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
            return PREFIX + ring.primaryKeyId() + ":" + Base64.getEncoder().encodeToString(stored);
        } catch (GeneralSecurityException e) {
            throw new PloyerException(StandardErrorCode.INTERNAL_ERROR, "encryption failed for " + field + " of " + ownerId, e);
        }
    }

    /** The plain value; legacy rows without the prefix are returned as they are. */
    public String decrypt(String ownerId, String field, String stored) {
        if (stored == null || !isEncrypted(stored)) {
            return stored;
        }
        String rest = stored.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        if (colon < 1) {
            throw mismatch(ownerId, field, "the stored value is malformed");
        }
        String keyId = rest.substring(0, colon);
        SecretKey key = ring.key(keyId).orElseThrow(() -> mismatch(ownerId, field,
                "it was encrypted with key '" + keyId + "', which is not among the configured keys " + ring.keyIds()));
        try {
            byte[] bytes = Base64.getDecoder().decode(rest.substring(colon + 1));
            if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
                throw mismatch(ownerId, field, "the stored value is truncated");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData(ownerId, field));
            byte[] plain = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw mismatch(ownerId, field, "the stored value is not valid base64");
        } catch (GeneralSecurityException e) {
            throw mismatch(ownerId, field, "key '" + keyId + "' does not open it (wrong key, or the value was altered or moved)");
        }
    }

    /** Whether a stored value is encrypted. */
    public static boolean isEncrypted(String stored) {
        return stored != null && stored.startsWith(PREFIX);
    }

    /** Whether a stored value should be rewritten: plain, or encrypted with a key other than the first. */
    public boolean needsReencryption(String stored) {
        return stored != null && (!isEncrypted(stored) || !keyIdOf(stored).equals(ring.primaryKeyId()));
    }

    /** The stored value encrypted again with the first key. */
    public String reencrypt(String ownerId, String field, String stored) {
        return encrypt(ownerId, field, decrypt(ownerId, field, stored));
    }

    /** The key id an encrypted value names. */
    static String keyIdOf(String stored) {
        String rest = stored.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        return colon < 0 ? "" : rest.substring(0, colon);
    }

    private static byte[] associatedData(String ownerId, String field) {
        return (ownerId + "\u0000" + field).getBytes(StandardCharsets.UTF_8);
    }

    private static PloyerException mismatch(String ownerId, String field, String why) {
        return new PloyerException(StandardErrorCode.SECRET_KEY_MISMATCH,
                "cannot decrypt " + field + " of " + ownerId + ": " + why);
    }
}
