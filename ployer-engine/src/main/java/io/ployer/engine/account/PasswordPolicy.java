package io.ployer.engine.account;

import io.ployer.api.PloyerException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a new password must be: 8 to 256 characters, and not one of the well-known passwords shipped
 * in {@code common-passwords.txt} (compared case-insensitively), the first ones an attacker tries.
 */
final class PasswordPolicy {
    private static final Set<String> COMMON = load();

    private PasswordPolicy() {
    }

    static void check(String field, String password) {
        if (password == null || password.length() < 8 || password.length() > 256) {
            throw PloyerException.invalid(field, "must be 8 to 256 characters");
        }
        if (COMMON.contains(password.toLowerCase(Locale.ROOT))) {
            throw PloyerException.invalid(field, "is one of the most common passwords, which attackers try first; choose another");
        }
    }

    static boolean isCommon(String password) {
        return COMMON.contains(password.toLowerCase(Locale.ROOT));
    }

    private static Set<String> load() {
        try (InputStream in = PasswordPolicy.class.getResourceAsStream("common-passwords.txt")) {
            if (in == null) {
                throw new IllegalStateException("common-passwords.txt is missing from the engine jar");
            }
            Set<String> result = new HashSet<>();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (!line.isBlank() && !line.startsWith("#")) {
                        result.add(line.strip().toLowerCase(Locale.ROOT));
                    }
                }
            }
            return Set.copyOf(result);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
