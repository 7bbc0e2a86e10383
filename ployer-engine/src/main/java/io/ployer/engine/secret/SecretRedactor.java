package io.ployer.engine.secret;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Masks every known secret value in text (log lines, error messages). Values shorter than
 * {@link #MIN_LENGTH} characters are not masked: masking every "1" or "on" would shred log lines
 * while protecting nothing a reader could not guess. Longer values are replaced longest first, so
 * a secret that contains another is masked whole.
 */
public final class SecretRedactor {
    /** The mask written in place of a secret. */
    public static final String MASK = "********";
    /** Shorter values are left alone. */
    public static final int MIN_LENGTH = 4;

    private final Map<String, Set<String>> byOwner = new ConcurrentHashMap<>();
    private volatile List<String> ordered = List.of();

    /** Adds an owner's secret values (in addition to those already registered for it). */
    public void register(String ownerId, Collection<String> values) {
        Set<String> set = byOwner.computeIfAbsent(ownerId, id -> ConcurrentHashMap.newKeySet());
        for (String value : values) {
            if (value != null && value.length() >= MIN_LENGTH) {
                set.add(value);
            }
        }
        rebuild();
    }

    /** Forgets an owner's values. */
    public void forget(String ownerId) {
        if (byOwner.remove(ownerId) != null) {
            rebuild();
        }
    }

    private synchronized void rebuild() {
        List<String> all = new ArrayList<>();
        byOwner.values().forEach(all::addAll);
        all.sort(Comparator.comparingInt(String::length).reversed());
        ordered = List.copyOf(new java.util.LinkedHashSet<>(all));
    }

    /** The text with every registered secret replaced by {@link #MASK}. */
    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        for (String secret : ordered) {
            if (result.contains(secret)) {
                result = result.replace(secret, MASK);
            }
        }
        return result;
    }
}
