package io.ployer.engine.secret;

// PLACEHOLDER until the secrets branch merges.
public final class SecretCipher {
    public SecretCipher(SecretKeyRing ring) { }
    public String encrypt(String ownerId, String field, String plaintext) { throw new UnsupportedOperationException(); }
    public String decrypt(String ownerId, String field, String stored) { throw new UnsupportedOperationException(); }
    public static boolean isEncrypted(String stored) { return stored != null && stored.startsWith("ENC:"); }
    public boolean needsReencryption(String stored) { return false; }
    public String reencrypt(String ownerId, String field, String stored) { return stored; }
}
