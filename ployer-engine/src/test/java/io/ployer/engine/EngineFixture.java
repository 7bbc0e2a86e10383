package io.ployer.engine;

import io.ployer.api.Ployer;
import io.ployer.api.PloyerBuilder;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/** Builds engines on real SQLite files in a test's temporary directory. */
final class EngineFixture {
    static final String KEY_ONE = "k1:" + Base64.getEncoder().encodeToString(bytes(1));
    static final String KEY_TWO = "k2:" + Base64.getEncoder().encodeToString(bytes(2));

    private EngineFixture() {
    }

    static PloyerBuilder builder(Path dataDirectory) {
        return Ployer.builder()
                .dataDirectory(dataDirectory)
                .plugin(new TestingForgePlugin())
                .config("git.allow-file-urls", "true");
    }

    static Ployer started(Path dataDirectory, Map<String, String> config) {
        Ployer ployer = builder(dataDirectory).config(config).build();
        ployer.start();
        return ployer;
    }

    private static byte[] bytes(int seed) {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (seed * 31 + i);
        }
        return key;
    }
}
