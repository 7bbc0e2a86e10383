package io.ployer.spi.storage;

import java.util.Map;
import java.util.Optional;

/** Small named values the engine keeps (the secret key-check value, schema facts …). */
public interface SettingStore {
    Optional<String> get(String key);

    void put(String key, String value);

    boolean delete(String key);

    Map<String, String> all();
}
