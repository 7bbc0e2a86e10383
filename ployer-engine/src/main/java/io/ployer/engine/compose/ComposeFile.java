package io.ployer.engine.compose;

import java.util.List;
import java.util.Map;

/**
 * A parsed Compose file: the subset Ployer runs. Maps keep the file's order.
 *
 * @param services services by name
 * @param volumes  top-level named volumes (name → options)
 * @param networks top-level networks (name → options)
 * @param warnings what is accepted but not used as Compose would (ports, version), one sentence each
 */
public record ComposeFile(Map<String, Service> services, Map<String, NamedVolume> volumes, Map<String, Network> networks,
                          List<String> warnings) {
    public ComposeFile {
        services = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(services));
        volumes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(volumes));
        networks = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(networks));
        warnings = List.copyOf(warnings);
    }

    /**
     * One service.
     *
     * @param name        its key under {@code services}
     * @param build       how to build its image, or {@code null}
     * @param image       the image to run (or to tag the build with), or {@code null}
     * @param environment variables (a key without a value maps to {@code null}: taken from the app's env)
     * @param envFiles    {@code env_file} paths, relative to the Compose file
     * @param ports       the published ports as written (ignored: the proxy routes)
     * @param expose      ports the service listens on for others
     * @param volumes     mounts
     * @param dependsOn   services this one waits for, with the condition
     * @param healthcheck its health check, or {@code null}
     * @param command     the command (a string is split on spaces like Compose's shell-less form), or {@code null}
     * @param entrypoint  the entrypoint, or {@code null}
     * @param restart     {@code no}, {@code always}, {@code on-failure[:n]} or {@code unless-stopped}, or {@code null}
     * @param limits      {@code deploy.resources.limits}, or {@code null}
     * @param networks    the networks it joins (empty: the default)
     * @param labels      labels
     */
    public record Service(String name, Build build, String image, Map<String, String> environment, List<String> envFiles,
                          List<String> ports, List<Integer> expose, List<Mount> volumes, Map<String, Condition> dependsOn,
                          Healthcheck healthcheck, List<String> command, List<String> entrypoint, String restart, Limits limits,
                          List<String> networks, Map<String, String> labels) {
    }

    /** {@code build}: a context directory, a Dockerfile in it and build arguments. */
    public record Build(String context, String dockerfile, Map<String, String> args) {
    }

    /** When a dependency counts as ready. */
    public enum Condition {
        SERVICE_STARTED, SERVICE_HEALTHY, SERVICE_COMPLETED_SUCCESSFULLY
    }

    /**
     * A mount: a named volume (source a name declared at the top level), a bind mount (source a path) or an
     * anonymous volume (source {@code null}).
     */
    public record Mount(Kind kind, String source, String target, boolean readOnly) {
        /** What backs a mount. */
        public enum Kind {
            VOLUME, BIND, ANONYMOUS
        }
    }

    /**
     * {@code healthcheck}.
     *
     * @param test        the test as Compose writes it ({@code ["CMD", …]}, {@code ["CMD-SHELL", "…"]} or {@code ["NONE"]})
     * @param interval    interval, or {@code null}
     * @param timeout     timeout, or {@code null}
     * @param retries     retries, or {@code null}
     * @param startPeriod start period, or {@code null}
     * @param disabled    {@code disable: true}
     */
    public record Healthcheck(List<String> test, java.time.Duration interval, java.time.Duration timeout, Integer retries,
                              java.time.Duration startPeriod, boolean disabled) {
    }

    /** {@code deploy.resources.limits}. */
    public record Limits(Double cpus, Long memoryBytes, Long pids) {
    }

    /** A top-level volume; {@code external} ones are not made by Ployer. */
    public record NamedVolume(String name, boolean external, Map<String, String> labels) {
    }

    /** A top-level network. */
    public record Network(String name, boolean external, Map<String, String> labels) {
    }
}
