package io.ployer.engine.application;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one deployment run needs of its application's secrets, decrypted once when the run starts
 * ({@link ApplicationInternals#runSecrets}): the plain environment with each entry's build-time
 * flag, the https git token and the private half of the deploy key. The run hands it to the
 * checkout, the build and the container start, and {@linkplain #close() drops} it when it ends.
 * Its {@link #toString()} names no value, so logging it shows nothing secret.
 */
public final class RunSecrets implements AutoCloseable {
    /**
     * One environment entry.
     *
     * @param buildTime whether the build sees it too (every entry reaches the container)
     */
    public record Entry(String key, String value, boolean buildTime) {
        @Override
        public String toString() {
            return "Entry[" + key + "=***" + (buildTime ? ", build time" : "") + "]";
        }
    }

    private volatile List<Entry> environment;
    private volatile String gitToken;
    private volatile String privateDeployKey;

    /**
     * @param gitToken         the plain https token, or {@code null}
     * @param privateDeployKey the plain private half of the deploy key, or {@code null}
     */
    public RunSecrets(List<Entry> environment, String gitToken, String privateDeployKey) {
        this.environment = List.copyOf(environment);
        this.gitToken = gitToken;
        this.privateDeployKey = privateDeployKey;
    }

    /** No secrets at all (an application without env vars and git credentials). */
    public static RunSecrets none() {
        return new RunSecrets(List.of(), null, null);
    }

    /** The environment as plain {@code key → value}, only the build-time entries when {@code buildTimeOnly}. */
    public Map<String, String> environment(boolean buildTimeOnly) {
        Map<String, String> result = new TreeMap<>();
        for (Entry entry : environment) {
            if (!buildTimeOnly || entry.buildTime()) {
                result.put(entry.key(), entry.value());
            }
        }
        return result;
    }

    /** The plain https token for cloning; empty when the application has none. */
    public Optional<String> gitToken() {
        return Optional.ofNullable(gitToken);
    }

    /** The plain private deploy key for cloning over ssh; empty when the application has none. */
    public Optional<String> privateDeployKey() {
        return Optional.ofNullable(privateDeployKey);
    }

    /** The values a log line could show (the environment's and the token), for the log redactor. */
    Set<String> loggableValues() {
        Set<String> values = new HashSet<>();
        environment.forEach(entry -> values.add(entry.value()));
        gitToken().ifPresent(values::add);
        return values;
    }

    /** Drops every value: the run has ended (what was handed out already stays with its holder). */
    @Override
    public void close() {
        environment = List.of();
        gitToken = null;
        privateDeployKey = null;
    }

    @Override
    public String toString() {
        List<String> keys = new ArrayList<>();
        environment.forEach(entry -> keys.add(entry.key()));
        return "RunSecrets[environment keys " + keys + (gitToken == null ? "" : ", a git token")
                + (privateDeployKey == null ? "" : ", a deploy key") + "]";
    }
}
