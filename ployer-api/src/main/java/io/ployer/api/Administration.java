package io.ployer.api;

import java.nio.file.Path;
import java.util.List;

/** Operations for the operator of a Ployer installation. */
public interface Administration {

    /**
     * Re-encrypts every stored secret with the current (first) key, so older keys can be retired.
     * Returns the number of values rewritten.
     */
    int reencryptSecrets();

    /** Writes a consistent copy of the database to {@code target} (which must not exist). */
    void backup(Path target);

    /**
     * Writes one backup archive (zip) to {@code archive}, which must not exist: a consistent snapshot of
     * the database taken while the engine runs, the key file (unless the keys come from configuration,
     * {@code PLOYER_SECRET}, which must then be kept with the archive), and a manifest with the version,
     * the key's id and key-check value, and every file's SHA-256. The archive is created owner-only.
     */
    default void backupArchive(Path archive) {
        throw new UnsupportedOperationException("this Ployer does not write backup archives");
    }

    /** The plugins discovered and the ones active, for diagnostics. */
    List<PluginDescription> plugins();

    /** The entries of the plugins folder that could not be loaded (they did not stop the engine). */
    default List<PluginProblem> pluginProblems() {
        return List.of();
    }

    /**
     * What the continuous reconciler last found: whether the reverse proxy's routes match what
     * Ployer knows, and how often it found drift and repaired something. Empty when reconciliation
     * is off or has not run yet.
     */
    default java.util.Optional<ReconcileStatus> reconcileStatus() {
        return java.util.Optional.empty();
    }

    /**
     * The reconciler's view of the proxy and the containers.
     *
     * @param proxyState          {@code in_sync}, {@code drifted} (reachable, but its routes differ from Ployer's,
     *                            for example empty after a restart), {@code unreachable} or {@code none} (no proxy)
     * @param expectedFingerprint fingerprint of the routes Ployer wants
     * @param actualFingerprint   fingerprint of the routes the proxy has (null when unreachable)
     * @param expectedRoutes      how many routes Ployer wants
     * @param actualRoutes        how many Ployer routes the proxy has (-1 when unreachable)
     * @param drifts              passes that found the proxy drifted
     * @param routeRepairs        routes put back or corrected
     * @param routeRemovals       stale routes removed
     * @param containerRestarts   stopped containers of running deployments started again
     * @param missingContainers   running deployments found without their container
     * @param orphansRemoved      containers no deployment owns, removed
     * @param checkedAt           when the last pass ended
     */
    record ReconcileStatus(String proxyState, String expectedFingerprint, String actualFingerprint, int expectedRoutes,
                           int actualRoutes, long drifts, long routeRepairs, long routeRemovals, long containerRestarts,
                           long missingContainers, long orphansRemoved, java.time.Instant checkedAt) {
    }

    /**
     * Asks storage, the container runtime and the reverse proxy whether they answer now. Never
     * throws for an unreachable component: it is reported as not reachable, with the reason.
     */
    List<ComponentStatus> components();

    /**
     * Whether one component answers.
     *
     * @param role      {@code storage}, {@code runtime} or {@code proxy}
     * @param plugin    the plugin in that role, or {@code null} when none is configured
     * @param reachable whether it answered
     * @param detail    version or reason, for people
     */
    record ComponentStatus(String role, String plugin, boolean reachable, String detail) {
    }

    /**
     * One discovered plugin factory.
     *
     * @param role     {@code storage}, {@code runtime}, {@code build}, {@code proxy} or {@code git}
     * @param name     factory name
     * @param source   class name of the plugin that provides it
     * @param active   whether this instance uses it
     * @param version  the plugin jar's {@code Implementation-Version}, or {@code null} when it declares none
     * @param location {@code class path}, or the plugins-folder entry it was loaded from
     */
    record PluginDescription(String role, String name, String source, boolean active, String version, String location) {
        /** A description without version or location. */
        public PluginDescription(String role, String name, String source, boolean active) {
            this(role, name, source, active, null, "class path");
        }
    }

    /**
     * An entry of the plugins folder that could not be loaded.
     *
     * @param location the jar or folder
     * @param problem  why, as a sentence
     */
    record PluginProblem(String location, String problem) {
    }
}
