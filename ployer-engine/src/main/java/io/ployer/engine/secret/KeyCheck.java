package io.ployer.engine.secret;

// PLACEHOLDER until the secrets branch merges.
import java.util.Optional;

public final class KeyCheck {
    private KeyCheck() { }
    public static String create(SecretCipher cipher) { throw new UnsupportedOperationException(); }
    public static boolean verify(SecretCipher cipher, Optional<String> stored, boolean databaseHasEncryptedValues) { return false; }
}
