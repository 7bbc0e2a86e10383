package io.ployer.engine;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.engine.deploy.DeploySettings;
import io.ployer.spi.plugin.PluginConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The engine's own configuration, read from the builder's string entries and validated all at
 * once. Entries under a plugin role prefix ({@code storage.}, {@code runtime.}, {@code proxy.},
 * {@code build.}, {@code git.} other than the engine's own keys) go to the chosen plugin.
 *
 * @param dataDirectory        where the database, key file and workspaces live
 * @param storage              chosen storage plugin
 * @param runtime              chosen container runtime plugin, or empty for the default
 * @param proxy                chosen reverse proxy plugin, or empty for none
 * @param secretSpec           the configured keys, or empty to use the key file
 * @param allowFileGitUrls     whether {@code file://} repositories are accepted
 * @param baseDomain           base domain of automatic subdomains, or empty for none
 * @param allowWildcardDomains whether {@code *.example.com} domains are accepted
 * @param deploy               pipeline limits and timeouts
 * @param reconcile            whether {@code start()} reconciles containers and routes and starts the health
 *                             monitor (off for maintenance commands that open the database beside a running engine)
 * @param health               health monitor tunables
 * @param statsInterval        how often container resources are sampled
 * @param statsRetention       how long samples are kept
 * @param serverCheckInterval  how often every server is validated
 * @param raw                  every entry as given
 */
public record EngineConfig(Path dataDirectory, String storage, Optional<String> runtime, Optional<String> proxy,
                           Optional<String> secretSpec, boolean allowFileGitUrls, Optional<String> baseDomain,
                           boolean allowWildcardDomains, DeploySettings deploy, boolean reconcile,
                           io.ployer.engine.health.HealthMonitor.Settings health, Duration statsInterval,
                           Duration statsRetention, Duration serverCheckInterval, Map<String, String> raw) {

    /** Plugin roles whose {@code <role>.*} entries are handed to the chosen plugin. */
    public static final Set<String> ROLES = Set.of("storage", "runtime", "proxy", "build", "git");

    private static final Duration DEFAULT_RECONCILE_INTERVAL = Duration.ofSeconds(5);

    private static final Set<String> ENGINE_KEYS = Set.of("storage", "runtime", "proxy", "secret", "reconcile", "reconcile.interval",
            "git.allow-file-urls", "git.allow-insecure-urls", "git.allow-private-hosts", "domains.base", "domains.allow-wildcards", "deploy.max-concurrent-builds",
            "deploy.clone-timeout", "deploy.build-timeout", "deploy.start-timeout", "deploy.health-timeout",
            "deploy.drain-period", "deploy.keep-images", "deploy.log-limit-bytes", "deploy.stop-timeout",
            "health.tick", "health.max-concurrent-checks", "health.retention", "health.restart-backoff", "health.max-restarts",
            "health.restart-window", "stats.interval", "stats.retention", "servers.check-interval",
            "servers.remote-deploy", "servers.probe-interval", "servers.publish-host", "servers.proxy-image",
            "servers.proxy-admin-port", "servers.proxy-http-port", "servers.proxy-https-port", "servers.proxy-listen-host",
            "servers.proxy-http-only", "auth.require-totp", "volumes.bind-roots",
            "plugins.dir",
            "notifications.enabled", "notifications.max-attempts", "notifications.initial-backoff", "notifications.max-backoff",
            "notifications.dashboard-url", "notifications.retention-days",
            "audit.retention-days", "certificates.check-interval", "certificates.expiry-warning-days",
            "databases.enabled", "databases.ready-timeout", "databases.image-postgresql", "databases.image-mysql",
            "databases.image-mariadb", "databases.image-redis", "databases.image-mongodb", "templates.images");

    /**
     * The first segments of every dotted key, engine's and plugins': {@code PLOYER_<GROUP>_<REST>} maps
     * onto {@code <group>.<rest>} for these (underscores in the rest becoming dashes). Derived from the
     * keys, so a new engine key is settable from the environment without touching the mapping.
     */
    public static final Set<String> ENVIRONMENT_GROUPS = java.util.stream.Stream.concat(ROLES.stream(),
                    ENGINE_KEYS.stream().filter(key -> key.contains(".")).map(key -> key.substring(0, key.indexOf('.'))))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    public EngineConfig {
        raw = Map.copyOf(raw);
    }


    /** Reads and validates the entries; fails once with every problem. */
    public static EngineConfig from(Path dataDirectory, Map<String, String> entries) {
        List<String> problems = new ArrayList<>();
        for (String key : new TreeMap<>(entries).keySet()) {
            boolean pluginKey = ROLES.stream().anyMatch(role -> key.startsWith(role + "."));
            if (!ENGINE_KEYS.contains(key) && !pluginKey) {
                problems.add(key + ": unknown key");
            }
        }
        Reader reader = new Reader(entries, problems);
        String storage = reader.name("storage").orElse("sqlite");
        Optional<String> runtime = reader.name("runtime");
        Optional<String> proxy = reader.name("proxy").filter(name -> !name.equals("none"));
        Optional<String> secret = Optional.ofNullable(entries.get("secret")).filter(value -> !value.isBlank());
        boolean allowFile = reader.bool("git.allow-file-urls", false);
        reader.bool("git.allow-insecure-urls", false);
        reader.bool("git.allow-private-hosts", true);
        Optional<String> baseDomain = Optional.ofNullable(entries.get("domains.base"))
                .map(value -> value.strip().toLowerCase(Locale.ROOT)).filter(value -> !value.isEmpty());
        boolean wildcards = reader.bool("domains.allow-wildcards", false);
        boolean reconcile = reader.bool("reconcile", true);
        Duration reconcileInterval = reader.duration("reconcile.interval", DEFAULT_RECONCILE_INTERVAL);
        if (reconcileInterval.compareTo(Duration.ofMillis(100)) < 0) {
            problems.add("reconcile.interval: must be at least 100ms");
        }
        reader.bool("auth.require-totp", false);
        reader.bool("notifications.enabled", true);
        reader.integer("notifications.max-attempts", 5, 1, 20);
        reader.duration("notifications.initial-backoff", Duration.ofSeconds(5));
        reader.duration("notifications.max-backoff", Duration.ofMinutes(10));
        String dashboard = entries.get("notifications.dashboard-url");
        if (dashboard != null && !dashboard.isBlank() && !dashboard.strip().matches("https?://[^\\s]+")) {
            problems.add("notifications.dashboard-url: must be an http:// or https:// URL");
        }
        String templateImages = entries.get("templates.images");
        if (templateImages != null && !templateImages.isBlank() && !templateImages.strip()
                .matches("[a-z0-9][a-z0-9-]*\\.[A-Za-z0-9][A-Za-z0-9._-]*=[^\\s,=]+(\\s*,\\s*[a-z0-9][a-z0-9-]*\\.[A-Za-z0-9][A-Za-z0-9._-]*=[^\\s,=]+)*")) {
            problems.add("templates.images: must be <template>.<service>=<image> entries separated by commas");
        }
        reader.integer("audit.retention-days", 365, 1, 36_500);
        Duration certificateInterval = reader.duration("certificates.check-interval", Duration.ofHours(1));
        if (!certificateInterval.isZero() && certificateInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add("certificates.check-interval: must be at least 1s (0s turns the checks off)");
        }
        reader.integer("certificates.expiry-warning-days", 14, 1, 365);
        reader.integer("notifications.retention-days", 30, 1, 3650);
        io.ployer.engine.health.HealthMonitor.Settings health = new io.ployer.engine.health.HealthMonitor.Settings(
                reader.duration("health.tick", Duration.ofSeconds(1)),
                reader.integer("health.max-concurrent-checks", 32, 1, 1024),
                reader.duration("health.retention", Duration.ofDays(7)),
                reader.duration("health.restart-backoff", Duration.ofSeconds(10)),
                reader.integer("health.max-restarts", 3, 1, 100),
                reader.duration("health.restart-window", Duration.ofMinutes(10)));
        Duration statsInterval = reader.duration("stats.interval", Duration.ofSeconds(60));
        Duration statsRetention = reader.duration("stats.retention", Duration.ofHours(24));
        Duration serverCheckInterval = reader.duration("servers.check-interval", Duration.ofSeconds(30));
        reader.bool("servers.remote-deploy", false);
        if (reader.duration("servers.probe-interval", Duration.ofSeconds(5)).compareTo(Duration.ofMillis(100)) < 0) {
            problems.add("servers.probe-interval: must be at least 100ms");
        }
        reader.integer("servers.proxy-admin-port", 2019, 1, 65535);
        reader.integer("servers.proxy-http-port", 80, 1, 65535);
        reader.integer("servers.proxy-https-port", 443, 1, 65535);
        reader.bool("servers.proxy-http-only", false);
        DeploySettings deploy = new DeploySettings(
                reader.integer("deploy.max-concurrent-builds", 2, 1, 64),
                reader.duration("deploy.clone-timeout", Duration.ofMinutes(5)),
                reader.duration("deploy.build-timeout", Duration.ofMinutes(30)),
                reader.duration("deploy.start-timeout", Duration.ofMinutes(2)),
                reader.duration("deploy.health-timeout", Duration.ofMinutes(5)),
                reader.duration("deploy.drain-period", Duration.ofSeconds(10)),
                reader.duration("deploy.stop-timeout", Duration.ofSeconds(10)),
                reader.integer("deploy.keep-images", 5, 1, 100),
                reader.integer("deploy.log-limit-bytes", 5 * 1024 * 1024, 1024, Integer.MAX_VALUE));
        for (String root : bindRootEntries(entries)) {
            if (!Path.of(root).isAbsolute() || !Path.of(root).normalize().toString().equals(root) || root.equals("/")) {
                problems.add("volumes.bind-roots: '" + root + "' must be an absolute, normalised host directory other than /");
            }
        }
        if (!problems.isEmpty()) {
            throw new PloyerException(StandardErrorCode.CONFIGURATION,
                    "invalid Ployer configuration: " + String.join("; ", problems));
        }
        return new EngineConfig(dataDirectory, storage, runtime, proxy, secret, allowFile, baseDomain, wildcards,
                deploy, reconcile, health, statsInterval, statsRetention, serverCheckInterval, entries);
    }

    /**
     * Whether applications assigned to a remote server are deployed there over SSH
     * ({@code servers.remote-deploy}, default false: they are refused).
     */
    public boolean remoteDeploy() {
        return flag("servers.remote-deploy", false);
    }

    /** How Ployer runs applications on remote servers ({@code servers.*}, validated by {@link #from}). */
    public io.ployer.engine.remote.RemoteSettings remoteSettings() {
        String probe = raw.get("servers.probe-interval");
        Duration probeInterval = probe == null || probe.isBlank() ? Duration.ofSeconds(5) : PluginConfig.parseDuration(probe);
        Map<String, String> proxy = new java.util.HashMap<>();
        for (String key : List.of("http-port", "https-port", "listen-host", "http-only")) {
            String value = raw.get("servers.proxy-" + key);
            if (value != null && !value.isBlank()) {
                proxy.put(key, value.strip());
            }
        }
        return new io.ployer.engine.remote.RemoteSettings(probeInterval, raw.getOrDefault("servers.publish-host", "127.0.0.1").strip(),
                raw.getOrDefault("servers.proxy-image", "caddy:2").strip(),
                Integer.parseInt(raw.getOrDefault("servers.proxy-admin-port", "2019").strip()), proxy);
    }

    /** Whether {@code http://} and {@code git://} repositories are accepted ({@code git.allow-insecure-urls}, default false). */
    public boolean allowInsecureGitUrls() {
        return flag("git.allow-insecure-urls", false);
    }

    /**
     * Whether repository and server hosts may be loopback or private network addresses
     * ({@code git.allow-private-hosts}, default true); link-local and metadata addresses never may.
     */
    public boolean allowPrivateHosts() {
        return flag("git.allow-private-hosts", true);
    }

    private boolean flag(String key, boolean defaultValue) {
        String value = raw.get(key);
        return value == null || value.isBlank() ? defaultValue : Boolean.parseBoolean(value.strip());
    }

    /** How often the continuous reconciler compares the proxy and the runtime with storage (validated by {@link #from}). */
    public Duration reconcileInterval() {
        String value = raw.get("reconcile.interval");
        Duration parsed = value == null || value.isBlank() ? null : PluginConfig.parseDuration(value);
        return parsed == null ? DEFAULT_RECONCILE_INTERVAL : parsed;
    }

    /** How many days notification delivery attempts are kept ({@code notifications.retention-days}, default 30). */
    public int notificationRetentionDays() {
        return Integer.parseInt(raw.getOrDefault("notifications.retention-days", "30").strip());
    }

    /**
     * The certificate checks (validated by {@link #from}): every {@code certificates.check-interval}
     * (default 1h, {@code 0s} off), warning {@code certificates.expiry-warning-days} (default 14) ahead.
     */
    public io.ployer.engine.certificate.CertificateMonitor.Settings certificates() {
        return new io.ployer.engine.certificate.CertificateMonitor.Settings(durationOr("certificates.check-interval",
                Duration.ofHours(1)), Integer.parseInt(raw.getOrDefault("certificates.expiry-warning-days", "14").strip()));
    }

    /** How many days audit entries are kept ({@code audit.retention-days}, default 365, validated in {@link #from}). */
    public int auditRetentionDays() {
        return Integer.parseInt(raw.getOrDefault("audit.retention-days", "365").strip());
    }

    /**
     * Whether every user must turn on TOTP before doing anything else ({@code auth.require-totp},
     * validated in {@link #from}).
     */
    public boolean requireTotp() {
        return Boolean.parseBoolean(raw.getOrDefault("auth.require-totp", "false").strip());
    }

    /**
     * The host directories under which admins may bind-mount into applications ({@code volumes.bind-roots},
     * comma separated); empty (the default) allows no bind mounts.
     */
    public List<Path> volumeBindRoots() {
        return bindRootEntries(raw).stream().map(Path::of).toList();
    }

    /**
     * Whether databases and their backups are served ({@code databases.enabled}, default true; they need a
     * container runtime, and creating one needs its image on the host, a clear 409 otherwise).
     */
    public boolean databasesEnabled() {
        return Boolean.parseBoolean(raw.getOrDefault("databases.enabled", "true").strip());
    }

    /** How long a database may take to answer after a start ({@code databases.ready-timeout}, seconds, default 180). */
    public Duration databaseReadyTimeout() {
        String value = raw.getOrDefault("databases.ready-timeout", "180").strip();
        try {
            return Duration.ofSeconds(Math.max(1, Long.parseLong(value)));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(180);
        }
    }

    /** The image per {@code <template>.<service>} replacing the one its template names ({@code templates.images}). */
    public Map<String, String> templateImages() {
        Map<String, String> images = new java.util.LinkedHashMap<>();
        String value = raw.get("templates.images");
        if (value != null && !value.isBlank()) {
            for (String entry : value.split(",")) {
                int equals = entry.indexOf('=');
                images.put(entry.substring(0, equals).strip(), entry.substring(equals + 1).strip());
            }
        }
        return images;
    }

    /** Image (without tag) per engine overriding the official one ({@code databases.image-<engine>}). */
    public Map<io.ployer.api.database.DatabaseEngine, String> databaseImages() {
        Map<io.ployer.api.database.DatabaseEngine, String> images = new java.util.EnumMap<>(io.ployer.api.database.DatabaseEngine.class);
        for (io.ployer.api.database.DatabaseEngine engine : io.ployer.api.database.DatabaseEngine.values()) {
            String value = raw.get("databases.image-" + engine.name().toLowerCase(java.util.Locale.ROOT));
            if (value != null && !value.isBlank()) {
                images.put(engine, value.strip());
            }
        }
        return images;
    }

    private static List<String> bindRootEntries(Map<String, String> entries) {
        String value = entries.get("volumes.bind-roots");
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(value.split(",")).map(String::strip).filter(root -> !root.isEmpty()).toList();
    }

    /**
     * Notification delivery settings (validated by {@link #from}): whether events are sent to channels
     * at all ({@code notifications.enabled}, default true), attempts per notification (default 5), the
     * backoff before the second attempt (default 5s, doubling up to {@code notifications.max-backoff},
     * default 10m), and the dashboard's public URL that messages link to (none by default).
     */
    public io.ployer.engine.notify.NotificationSettings notifications() {
        String dashboard = raw.get("notifications.dashboard-url");
        return new io.ployer.engine.notify.NotificationSettings(flag("notifications.enabled", true),
                Integer.parseInt(raw.getOrDefault("notifications.max-attempts", "5").strip()),
                durationOr("notifications.initial-backoff", Duration.ofSeconds(5)),
                durationOr("notifications.max-backoff", Duration.ofMinutes(10)),
                dashboard == null || dashboard.isBlank() ? null : dashboard.strip().replaceAll("/+$", ""));
    }

    private Duration durationOr(String key, Duration defaultValue) {
        String value = raw.get(key);
        Duration parsed = value == null || value.isBlank() ? null : PluginConfig.parseDuration(value);
        return parsed == null ? defaultValue : parsed;
    }

    /** The entries for a plugin of {@code role}, with the {@code role.} prefix removed and engine keys left out. */
    /** Where third-party plugin jars are loaded from: {@code plugins.dir}, or {@code plugins/} in the data directory. */
    public Path pluginsDirectory() {
        String value = raw.get("plugins.dir");
        return value == null || value.isBlank() ? dataDirectory.resolve("plugins") : dataDirectory.resolve(value.strip());
    }

    public Map<String, String> pluginConfig(String role) {
        Map<String, String> result = new TreeMap<>();
        String prefix = role + ".";
        raw.forEach((key, value) -> {
            if (key.startsWith(prefix) && !ENGINE_KEYS.contains(key)) {
                result.put(key.substring(prefix.length()), value);
            }
        });
        return result;
    }

    private record Reader(Map<String, String> entries, List<String> problems) {
        Optional<String> name(String key) {
            String value = entries.get(key);
            if (value == null || value.isBlank()) {
                return Optional.empty();
            }
            String name = value.strip();
            if (!name.matches("[a-z][a-z0-9-]*")) {
                problems.add(key + ": must be a plugin name matching [a-z][a-z0-9-]*");
                return Optional.empty();
            }
            return Optional.of(name);
        }

        boolean bool(String key, boolean defaultValue) {
            String value = entries.get(key);
            if (value == null || value.isBlank()) {
                return defaultValue;
            }
            if (!value.strip().equalsIgnoreCase("true") && !value.strip().equalsIgnoreCase("false")) {
                problems.add(key + ": must be true or false");
                return defaultValue;
            }
            return Boolean.parseBoolean(value.strip());
        }

        int integer(String key, int defaultValue, int min, int max) {
            String value = entries.get(key);
            if (value == null || value.isBlank()) {
                return defaultValue;
            }
            try {
                int parsed = Integer.parseInt(value.strip());
                if (parsed >= min && parsed <= max) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problems.add(key + ": must be an integer within " + min + ".." + max);
            return defaultValue;
        }

        Duration duration(String key, Duration defaultValue) {
            String value = entries.get(key);
            if (value == null || value.isBlank()) {
                return defaultValue;
            }
            Duration parsed = PluginConfig.parseDuration(value);
            if (parsed == null || parsed.isNegative()) {
                problems.add(key + ": must be a duration such as 10s, 500ms, 2m or PT10S");
                return defaultValue;
            }
            return parsed;
        }
    }
}
