package io.ployer.engine.secret;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The named 256-bit keys secrets are encrypted with: the first encrypts, all decrypt. Read from a
 * spec ({@code id:base64,…} or one bare base64 key, as in {@code PLOYER_SECRET}) or from a key
 * file created with mode 0600 on first start. Never shows key material.
 */
public final class SecretKeyRing {
    static final String DEFAULT_ID = "default";
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final int KEY_BYTES = 32;

    private final Map<String, SecretKey> keys;
    private final String source;

    private SecretKeyRing(Map<String, SecretKey> keys, String source) {
        this.keys = keys;
        this.source = source;
    }

    /** Parses {@code id:base64[,id:base64…]} or one bare base64 key (id {@code default}). */
    public static SecretKeyRing parse(String spec) {
        return parse(spec, "the configured secret (PLOYER_SECRET)");
    }

    private static SecretKeyRing parse(String spec, String source) {
        if (spec == null || spec.isBlank()) {
            throw configuration(source + " is empty");
        }
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        String[] entries = spec.strip().split(",");
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip();
            int colon = entry.indexOf(':');
            String id = colon < 0 ? DEFAULT_ID : entry.substring(0, colon);
            String material = colon < 0 ? entry : entry.substring(colon + 1);
            if (colon < 0 && entries.length > 1) {
                throw configuration(source + ": entry " + (i + 1) + " has no key id; write id:base64 when giving several keys");
            }
            if (!KEY_ID.matcher(id).matches()) {
                throw configuration(source + ": key id of entry " + (i + 1) + " must match " + KEY_ID.pattern());
            }
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(material.strip());
            } catch (IllegalArgumentException e) {
                throw configuration(source + ": key '" + id + "' is not valid base64");
            }
            if (bytes.length != KEY_BYTES) {
                throw configuration(source + ": key '" + id + "' must be 32 bytes (base64 of 32 random bytes), not " + bytes.length);
            }
            if (keys.putIfAbsent(id, new SecretKeySpec(bytes, "AES")) != null) {
                throw configuration(source + ": key id '" + id + "' appears twice");
            }
        }
        return new SecretKeyRing(keys, source);
    }

    /**
     * Reads the key file, or creates it with one random key when absent. The file is created
     * with mode 0600 from the start (no moment when others could read it); an existing file that
     * group or others can read is refused.
     */
    public static SecretKeyRing loadOrCreateKeyFile(Path file) {
        String source = "the key file " + file;
        try {
            if (!Files.exists(file)) {
                byte[] key = new byte[KEY_BYTES];
                new SecureRandom().nextBytes(key);
                String line = "k" + Long.toString(System.currentTimeMillis() / 1000, 36) + ":" + Base64.getEncoder().encodeToString(key) + "\n";
                Files.createDirectories(file.toAbsolutePath().getParent());
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, line, StandardCharsets.US_ASCII);
                } catch (FileAlreadyExistsException raced) {
                    // Another process created it first: read theirs.
                }
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            for (PosixFilePermission permission : permissions) {
                if (permission.name().startsWith("GROUP") || permission.name().startsWith("OTHERS")) {
                    throw configuration(source + " is readable by other users (" + PosixFilePermissions.toString(permissions)
                            + "); run chmod 600 on it");
                }
            }
            return parse(Files.readString(file, StandardCharsets.US_ASCII), source);
        } catch (IOException e) {
            throw configuration("cannot read or create " + source + ": " + e.getMessage());
        }
    }

    /** A ring of one fresh random key (for tests and embedders that manage keys themselves). */
    public static SecretKeyRing generate() {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        keys.put(DEFAULT_ID, new SecretKeySpec(key, "AES"));
        return new SecretKeyRing(keys, "a generated key");
    }

    /** The ids of every key, the encrypting one first. */
    public List<String> keyIds() {
        return new ArrayList<>(keys.keySet());
    }

    /** The id of the key that encrypts. */
    public String primaryKeyId() {
        return keys.keySet().iterator().next();
    }

    SecretKey primaryKey() {
        return keys.get(primaryKeyId());
    }

    Optional<SecretKey> key(String id) {
        return Optional.ofNullable(keys.get(id));
    }

    /** Where the keys came from, for messages. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "SecretKeyRing[keys=" + keys.keySet() + ", source=" + source + "]";
    }

    private static PloyerException configuration(String message) {
        return new PloyerException(StandardErrorCode.CONFIGURATION, message);
    }
}
