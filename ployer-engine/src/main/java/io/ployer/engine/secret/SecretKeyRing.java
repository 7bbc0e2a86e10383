package io.ployer.engine.secret;

// PLACEHOLDER until the secrets branch merges: minimal surface the engine codes against.
import java.nio.file.Path;
import java.util.List;

public final class SecretKeyRing {
    public static SecretKeyRing parse(String spec) { throw new UnsupportedOperationException(); }
    public static SecretKeyRing loadOrCreateKeyFile(Path file) { throw new UnsupportedOperationException(); }
    public static SecretKeyRing generate() { throw new UnsupportedOperationException(); }
    public List<String> keyIds() { return List.of(); }
    public String primaryKeyId() { return ""; }
}
