package com.example.ployer.nginx;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.proxy.ProxyCapability;
import io.ployer.spi.proxy.ProxyStatus;
import io.ployer.spi.proxy.ReverseProxy;
import io.ployer.spi.proxy.Route;
import io.ployer.spi.proxy.TlsMode;
import io.ployer.api.container.Endpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Routes through an nginx of the plugin's own: one {@code routes/<key>.conf} per application (an upstream
 * and a server block), written atomically (a temp file moved over the old one), checked with
 * {@code nginx -t}, then {@code nginx -s reload}. A reload is graceful: old workers finish the requests they
 * hold while new workers take new connections, so switching upstreams fails no request. Every change also
 * writes a new generation id to a control server on {@code control-port}; a change returns only once nginx
 * answers with that id, so when {@link #apply} returns the new upstream serves. Calls are serialised.
 */
final class NginxReverseProxy implements ReverseProxy {
    private static final Pattern HOST = Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
    private static final Pattern UPSTREAM_HOST = Pattern.compile("[A-Za-z0-9.:-]+");
    private static final String HEADER = "# ployer-route ";

    private final NginxSettings settings;
    private final PluginContext context;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile HttpClient http;
    private volatile Path prefix;

    NginxReverseProxy(NginxSettings settings, PluginContext context) {
        this.settings = settings;
        this.context = context;
    }

    @Override
    public Set<ProxyCapability> capabilities() {
        return EnumSet.of(ProxyCapability.WILDCARD_HOSTS);
    }

    @Override
    public void start() {
        lock.lock();
        try {
            Path directory = prefix();
            Files.createDirectories(directory.resolve("routes"));
            Files.createDirectories(directory.resolve("logs"));
            Files.createDirectories(directory.resolve("tmp"));
            writeAtomically(directory.resolve("nginx.conf"), mainConfig(directory));
            commit();
        } catch (IOException e) {
            throw failure("could not prepare nginx's directory " + prefix, e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void apply(Route route) {
        check(route);
        lock.lock();
        try {
            ensureStarted();
            Path file = routeFile(route.applicationId());
            String content = routeConfig(route);
            Optional<String> previous = read(file);
            if (previous.isPresent() && previous.get().equals(content) && running()) {
                return;
            }
            writeAtomically(file, content);
            try {
                testConfig();
            } catch (RuntimeException invalid) {
                restore(file, previous);
                throw invalid;
            }
            commit();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void remove(String applicationId) {
        lock.lock();
        try {
            ensureStarted();
            if (Files.deleteIfExists(routeFile(applicationId))) {
                commit();
            }
        } catch (IOException e) {
            throw failure("could not remove the route of " + applicationId, e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void replaceAll(List<Route> routes) {
        routes.forEach(this::check);
        lock.lock();
        try {
            ensureStarted();
            Map<Path, String> wanted = new LinkedHashMap<>();
            for (Route route : routes) {
                wanted.put(routeFile(route.applicationId()), routeConfig(route));
            }
            for (Path existing : routeFiles()) {
                if (!wanted.containsKey(existing)) {
                    Files.deleteIfExists(existing);
                }
            }
            for (Map.Entry<Path, String> entry : wanted.entrySet()) {
                writeAtomically(entry.getKey(), entry.getValue());
            }
            testConfig();
            commit();
        } catch (IOException e) {
            throw failure("could not write nginx's routes", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        for (Path file : routeFiles()) {
            read(file).flatMap(NginxReverseProxy::parseHeader).ifPresent(routes::add);
        }
        return routes;
    }

    @Override
    public ProxyStatus status() {
        try {
            String generation = generationServed();
            return new ProxyStatus(true, "nginx serving configuration " + generation, routeFiles().size());
        } catch (IOException e) {
            return new ProxyStatus(false, "nginx does not answer on 127.0.0.1:" + settings.controlPort() + " (" + e.getMessage() + ")", 0);
        } catch (RuntimeException e) {
            return new ProxyStatus(false, "nginx's status is unknown: " + e.getMessage(), 0);
        }
    }

    @Override
    public void close() {
        if (!settings.stopOnClose()) {
            return;
        }
        lock.lock();
        try {
            Optional<ProcessHandle> master = master();
            if (master.isPresent()) {
                nginx("-s", "quit");
                try {
                    master.get().onExit().get(settings.reloadTimeout().toMillis(), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    master.get().destroyForcibly();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    // --- configuration ---

    private Path prefix() {
        if (prefix == null) {
            prefix = (settings.prefix() != null ? settings.prefix() : context.dataDirectory().resolve("nginx")).toAbsolutePath();
        }
        return prefix;
    }

    private String mainConfig(Path directory) {
        String user = "root".equals(System.getProperty("user.name")) ? "user nobody nogroup;\n" : "";
        String listen = settings.listenHost().contains(":") ? "[" + settings.listenHost() + "]" : settings.listenHost();
        return "# written by the Ployer nginx plugin; changes are overwritten\n"
                + user
                + "worker_processes 2;\n"
                + "pid " + directory.resolve("nginx.pid") + ";\n"
                + "error_log " + directory.resolve("logs/error.log") + " warn;\n"
                + "worker_shutdown_timeout 30s;\n"
                + "events { worker_connections 1024; }\n"
                + "http {\n"
                + "  access_log off;\n"
                + "  keepalive_timeout 15s;\n"
                + "  server_names_hash_bucket_size 128;\n"
                + "  client_body_temp_path " + directory.resolve("tmp/body") + ";\n"
                + "  proxy_temp_path " + directory.resolve("tmp/proxy") + ";\n"
                + "  fastcgi_temp_path " + directory.resolve("tmp/fastcgi") + ";\n"
                + "  uwsgi_temp_path " + directory.resolve("tmp/uwsgi") + ";\n"
                + "  scgi_temp_path " + directory.resolve("tmp/scgi") + ";\n"
                + "  map $http_upgrade $ployer_connection { default upgrade; '' ''; }\n"
                + "  server {\n"
                + "    listen 127.0.0.1:" + settings.controlPort() + ";\n"
                + "    include " + directory.resolve("control.conf") + ";\n"
                + "  }\n"
                + "  server {\n"
                + "    listen " + listen + ":" + settings.httpPort() + " default_server;\n"
                + "    return 404;\n"
                + "  }\n"
                + "  include " + directory.resolve("routes") + "/*.conf;\n"
                + "}\n";
    }

    private String routeConfig(Route route) {
        String upstream = "ployer_" + key(route.applicationId());
        String listen = settings.listenHost().contains(":") ? "[" + settings.listenHost() + "]" : settings.listenHost();
        StringBuilder text = new StringBuilder(header(route));
        text.append("upstream ").append(upstream).append(" {\n");
        for (Endpoint endpoint : route.upstreams()) {
            text.append("  server ").append(endpoint.address()).append(" max_fails=0;\n");
        }
        text.append("  keepalive 16;\n}\n");
        text.append("server {\n  listen ").append(listen).append(':').append(settings.httpPort()).append(";\n");
        text.append("  server_name ").append(String.join(" ", route.hosts())).append(";\n");
        text.append("  location / {\n")
                .append("    proxy_pass http://").append(upstream).append(";\n")
                .append("    proxy_http_version 1.1;\n")
                .append("    proxy_set_header Host $host;\n")
                .append("    proxy_set_header Upgrade $http_upgrade;\n")
                .append("    proxy_set_header Connection $ployer_connection;\n")
                .append("    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n")
                .append("    proxy_set_header X-Forwarded-Proto $scheme;\n")
                .append("    proxy_set_header X-Forwarded-Host $host;\n")
                .append("    proxy_next_upstream error timeout;\n")
                .append("  }\n}\n");
        return text.toString();
    }

    private static String header(Route route) {
        return HEADER + encode(route.applicationId()) + " " + route.tls() + " " + encode(String.join(",", route.hosts())) + " "
                + encode(String.join(",", route.upstreams().stream().map(Endpoint::address).toList())) + "\n";
    }

    private static Optional<Route> parseHeader(String content) {
        if (!content.startsWith(HEADER)) {
            return Optional.empty();
        }
        String[] parts = content.substring(HEADER.length(), content.indexOf('\n')).split(" ");
        if (parts.length != 4) {
            return Optional.empty();
        }
        List<String> hosts = Arrays.asList(decode(parts[2]).split(","));
        List<Endpoint> upstreams = Arrays.stream(decode(parts[3]).split(",")).map(Endpoint::parse).toList();
        return Optional.of(new Route(decode(parts[0]), hosts, upstreams, TlsMode.valueOf(parts[1])));
    }

    private void check(Route route) {
        if (route.tls() == TlsMode.INTERNAL) {
            throw new PloyerException(StandardErrorCode.CONFIGURATION, "the route of " + route.applicationId()
                    + " asks for TLS from the proxy's own CA, but the nginx proxy does not manage TLS (it serves plain HTTP)");
        }
        for (String host : route.hosts()) {
            if (!HOST.matcher(host).matches()) {
                throw new PloyerException(StandardErrorCode.CONFIGURATION, "the nginx proxy cannot serve the host " + host
                        + ": a host is lower-case letters, digits, dots and dashes, optionally starting with *.");
            }
        }
        for (Endpoint upstream : route.upstreams()) {
            if (!UPSTREAM_HOST.matcher(upstream.host()).matches()) {
                throw new PloyerException(StandardErrorCode.CONFIGURATION, "the nginx proxy cannot send requests to "
                        + upstream.host() + ": an upstream is an IP address or a host name");
            }
        }
    }

    // --- nginx ---

    private void ensureStarted() {
        if (!Files.exists(prefix().resolve("nginx.conf")) || !running()) {
            start();
        }
    }

    /** Writes a new generation, makes nginx load the configuration, and waits until it serves it. */
    private void commit() {
        String generation = UUID.randomUUID().toString();
        writeAtomically(prefix().resolve("control.conf"),
                "location = /ployer-generation { default_type text/plain; return 200 \"" + generation + "\"; }\n");
        testConfig();
        if (running()) {
            nginx("-s", "reload");
        } else {
            nginx();
        }
        awaitGeneration(generation);
    }

    private void awaitGeneration(String generation) {
        long deadline = System.nanoTime() + settings.reloadTimeout().toNanos();
        String served = null;
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try {
                served = generationServed();
                if (generation.equals(served)) {
                    return;
                }
            } catch (IOException notYet) {
                last = notYet;
            }
        }
        throw new PloyerException(StandardErrorCode.PROXY_FAILURE, "nginx did not take its new configuration within "
                + settings.reloadTimeout().toSeconds() + " s (it serves " + (served == null ? "nothing" : served) + ")"
                + (last == null ? "" : ": " + last.getMessage()) + errorLogTail());
    }

    private String generationServed() throws IOException {
        try {
            HttpResponse<String> answer = client().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + settings.controlPort() + "/ployer-generation"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IOException("the control server answered HTTP " + answer.statusCode());
            }
            return answer.body().strip();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PloyerException(StandardErrorCode.CANCELLED, "interrupted while asking nginx for its configuration");
        }
    }

    private HttpClient client() {
        if (http == null) {
            HttpClient shared;
            try {
                shared = context.httpClient();
            } catch (UnsupportedOperationException none) {
                shared = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            }
            http = shared;
        }
        return http;
    }

    private boolean running() {
        return master().isPresent();
    }

    private Optional<ProcessHandle> master() {
        Optional<String> pid = read(prefix().resolve("nginx.pid"));
        if (pid.isEmpty() || pid.get().isBlank()) {
            return Optional.empty();
        }
        try {
            return ProcessHandle.of(Long.parseLong(pid.get().strip())).filter(ProcessHandle::isAlive);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private void testConfig() {
        nginx("-t", "-q");
    }

    /** Runs the nginx binary on the plugin's prefix with extra arguments; fails with its output. */
    private void nginx(String... arguments) {
        Path directory = prefix();
        List<String> command = new ArrayList<>(List.of(settings.binary().toString(), "-p", directory + "/",
                "-e", directory.resolve("logs/error.log").toString(), "-c", directory.resolve("nginx.conf").toString()));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(settings.reloadTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new PloyerException(StandardErrorCode.PROXY_FAILURE, "nginx " + String.join(" ", arguments)
                        + " did not finish within " + settings.reloadTimeout().toSeconds() + " s");
            }
            if (process.exitValue() != 0) {
                throw new PloyerException(StandardErrorCode.PROXY_FAILURE, "nginx " + (arguments.length == 0 ? "start"
                        : String.join(" ", arguments)) + " failed: " + output);
            }
        } catch (IOException e) {
            throw failure("could not run " + settings.binary() + " (is nginx installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PloyerException(StandardErrorCode.CANCELLED, "interrupted while running nginx");
        }
    }

    private String errorLogTail() {
        List<String> lines = read(prefix().resolve("logs/error.log")).map(text -> List.of(text.split("\n"))).orElse(List.of());
        return lines.isEmpty() ? "" : "; nginx's log ends with: " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }

    // --- files ---

    private Path routeFile(String applicationId) {
        return prefix().resolve("routes").resolve(key(applicationId) + ".conf");
    }

    private List<Path> routeFiles() {
        Path routes = prefix().resolve("routes");
        if (!Files.isDirectory(routes)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(routes)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".conf")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeAtomically(Path file, String content) {
        Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw failure("could not write " + file, e);
        }
    }

    private static void restore(Path file, Optional<String> previous) {
        try {
            if (previous.isPresent()) {
                writeAtomically(file, previous.get());
            } else {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw failure("could not restore " + file, e);
        }
    }

    private static Optional<String> read(Path file) {
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String key(String applicationId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(applicationId.getBytes(StandardCharsets.UTF_8));
            String readable = applicationId.replaceAll("[^A-Za-z0-9-]", "_");
            return (readable.length() > 40 ? readable.substring(0, 40) : readable) + "_" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static PloyerException failure(String what, IOException cause) {
        return new PloyerException(StandardErrorCode.PROXY_FAILURE, what + ": " + cause.getMessage(), cause);
    }
}
