package io.ployer.engine.secret;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import java.util.Optional;

/**
 * A known value encrypted with the primary key and stored in the database, so that a wrong or
 * missing key stops the engine at start with a clear message instead of failing later, value by
 * value.
 */
public final class KeyCheck {
    static final String OWNER = "ployer";
    static final String FIELD = "key-check";
    static final String MARKER = "ployer-key-check-v1";

    private KeyCheck() {
    }

    /** A fresh key-check value for the cipher's primary key. */
    public static String create(SecretCipher cipher) {
        return cipher.encrypt(OWNER, FIELD, MARKER);
    }

    /**
     * Checks the configured keys against the stored check value.
     *
     * @param stored                     the stored check, if any
     * @param databaseHasEncryptedValues whether any secret column holds an encrypted value
     * @return whether the check should be rewritten (absent, or made with an older key)
     * @throws PloyerException SECRET_KEY_MISMATCH when the keys cannot read the database
     */
    public static boolean verify(SecretCipher cipher, Optional<String> stored, boolean databaseHasEncryptedValues) {
        if (stored.isEmpty()) {
            if (databaseHasEncryptedValues) {
                throw new PloyerException(StandardErrorCode.SECRET_KEY_MISMATCH, "the database holds encrypted secrets but no "
                        + "key check; refusing to guess whether " + cipher.keyRing().source() + " can read them");
            }
            return true;
        }
        String value = stored.get();
        String keyId = SecretCipher.isEncrypted(value) ? SecretCipher.keyIdOf(value) : "?";
        if (!cipher.keyRing().keyIds().contains(keyId)) {
            throw new PloyerException(StandardErrorCode.SECRET_KEY_MISMATCH, "the database was encrypted with key '" + keyId
                    + "', which is not among the configured keys " + cipher.keyRing().keyIds() + " (from "
                    + cipher.keyRing().source() + "); set PLOYER_SECRET to the key that was used, or restore the key file");
        }
        String opened;
        try {
            opened = cipher.decrypt(OWNER, FIELD, value);
        } catch (PloyerException e) {
            throw new PloyerException(StandardErrorCode.SECRET_KEY_MISMATCH, "the configured key '" + keyId
                    + "' is not the key this database was encrypted with (from " + cipher.keyRing().source()
                    + "); set PLOYER_SECRET to the right key, or restore the key file");
        }
        if (!MARKER.equals(opened)) {
            throw new PloyerException(StandardErrorCode.SECRET_KEY_MISMATCH, "the key check of this database is corrupt");
        }
        return !keyId.equals(cipher.keyRing().primaryKeyId());
    }
}
