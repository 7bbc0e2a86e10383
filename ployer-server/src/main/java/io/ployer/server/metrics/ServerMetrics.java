package io.ployer.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ployer.api.Ployer;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.event.EventSubscription;
import io.ployer.api.event.PloyerEvent;
import io.undertow.server.HttpHandler;
import io.undertow.util.Headers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Locale;

/**
 * Ployer's metrics in Prometheus format at {@code /metrics} (where: {@link MetricsSettings}): deployments by outcome and their
 * durations, health transitions, webhook deliveries by status, HTTP request durations, and the JVM.
 * Counts come from the engine's events, so the engine itself stays free of a metrics library.
 * The JVM meters are bound at the first scrape: a server nobody scrapes loads no JMX machinery and
 * handles no GC notifications (GC pauses are counted from that first scrape on).
 */
public final class ServerMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final java.util.List<java.util.function.LongSupplier> cacheCounters = new java.util.concurrent.CopyOnWriteArrayList<>();
    private JvmGcMetrics gcMetrics;
    private EventSubscription subscription;
    private final java.util.Map<String, Timer> requestTimers = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, java.time.Instant> buildsStarted = new java.util.concurrent.ConcurrentHashMap<>();

    private boolean jvmBound;
    private java.util.Optional<io.ployer.api.Administration.ReconcileStatus> reconcileRead;
    private long reconcileReadAt;

    /** Binds the JVM meters once, before the first scrape. */
    private synchronized void bindJvmMeters() {
        if (jvmBound) {
            return;
        }
        jvmBound = true;
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Starts counting the engine's events. */
    public void observe(Ployer ployer) {
        subscription = ployer.events().subscribe(event -> record(ployer, event));
        // What the reconciler found and repaired (read at scrape time from its counters).
        java.util.Map<String, java.util.function.ToLongFunction<io.ployer.api.Administration.ReconcileStatus>> counts = java.util.Map.of(
                "ployer.reconcile.drifts", io.ployer.api.Administration.ReconcileStatus::drifts,
                "ployer.reconcile.route.repairs", io.ployer.api.Administration.ReconcileStatus::routeRepairs,
                "ployer.reconcile.route.removals", io.ployer.api.Administration.ReconcileStatus::routeRemovals,
                "ployer.reconcile.container.restarts", io.ployer.api.Administration.ReconcileStatus::containerRestarts,
                "ployer.reconcile.containers.missing", io.ployer.api.Administration.ReconcileStatus::missingContainers,
                "ployer.reconcile.orphans.removed", io.ployer.api.Administration.ReconcileStatus::orphansRemoved);
        counts.forEach((name, read) -> io.micrometer.core.instrument.FunctionCounter.builder(name, ployer,
                        engine -> reconcileStatus(engine).map(status -> (double) read.applyAsLong(status)).orElse(0.0))
                .description("Reconciler: " + name.substring("ployer.reconcile.".length()).replace('.', ' ')).register(registry));
        io.micrometer.core.instrument.Gauge.builder("ployer.proxy.in.sync", ployer, engine -> reconcileStatus(engine)
                        .map(status -> "in_sync".equals(status.proxyState()) ? 1.0 : 0.0).orElse(0.0))
                .description("1 when the proxy's routes match Ployer's, 0 when it is drifted or unreachable").register(registry);
    }

    private void record(Ployer ployer, PloyerEvent event) {
        if (event instanceof PloyerEvent.DeploymentStatusChanged changed) {
            DeploymentStatus to = changed.to();
            if (to == DeploymentStatus.BUILDING) {
                buildsStarted.put(changed.deploymentId(), changed.at());
            } else if (changed.from() == DeploymentStatus.BUILDING) {
                java.time.Instant started = buildsStarted.remove(changed.deploymentId());
                if (started != null) {
                    Timer.builder("ployer.build.duration").description("Time spent building")
                            .tag("outcome", to == DeploymentStatus.STARTING ? "built" : to.name().toLowerCase(Locale.ROOT))
                            .register(registry).record(Duration.between(started, changed.at()));
                }
            }
            if (to == DeploymentStatus.RUNNING || to == DeploymentStatus.FAILED || to == DeploymentStatus.CANCELLED) {
                Counter.builder("ployer.deployments").description("Deployments by outcome")
                        .tag("outcome", to.name().toLowerCase(Locale.ROOT)).register(registry).increment();
                ployer.deployments().find(changed.deploymentId()).ifPresent(deployment -> {
                    if (deployment.startedAt() != null && deployment.finishedAt() != null) {
                        Timer.builder("ployer.deployment.duration").description("Time from start to the end of a deployment")
                                .tag("outcome", to.name().toLowerCase(Locale.ROOT)).register(registry)
                                .record(Duration.between(deployment.startedAt(), deployment.finishedAt()));
                    }
                });
            }
        } else if (event instanceof PloyerEvent.HealthChecked checked) {
            Counter.builder("ployer.health.checks").description("Health check results by status")
                    .tag("status", checked.result().status().name().toLowerCase(Locale.ROOT)).register(registry).increment();
        } else if (event instanceof PloyerEvent.HealthChanged health) {
            Counter.builder("ployer.health.transitions").description("Health transitions by new state")
                    .tag("to", health.to().name().toLowerCase(Locale.ROOT)).register(registry).increment();
        } else if (event instanceof PloyerEvent.WebhookReceived webhook) {
            Counter.builder("ployer.webhook.deliveries").description("Webhook deliveries by status")
                    .tag("status", webhook.status().name().toLowerCase(Locale.ROOT)).register(registry).increment();
        }
    }

    /** The reconciler's status, asked once per scrape (it reads the proxy's routes), not once per meter. */
    private synchronized java.util.Optional<io.ployer.api.Administration.ReconcileStatus> reconcileStatus(Ployer ployer) {
        long now = System.nanoTime();
        if (reconcileRead != null && now - reconcileReadAt < 1_000_000_000L) {
            return reconcileRead;
        }
        try {
            reconcileRead = ployer.isRunning() ? ployer.administration().reconcileStatus() : java.util.Optional.empty();
        } catch (RuntimeException e) {
            reconcileRead = java.util.Optional.empty();
        }
        reconcileReadAt = now;
        return reconcileRead;
    }

    /** Records one HTTP request (its route template is not known here: method and status only, no paths with ids). */
    /**
     * Publishes the response cache's answers served from memory and computed, as the counters
     * {@code ployer_response_cache_hits_total} and {@code ployer_response_cache_misses_total}.
     */
    public void observeCache(java.util.function.LongSupplier hits, java.util.function.LongSupplier misses) {
        // Micrometer holds a function counter's object weakly: kept here, or the lambdas are collected.
        cacheCounters.add(hits);
        cacheCounters.add(misses);
        io.micrometer.core.instrument.FunctionCounter.builder("ployer.response.cache.hits", hits, java.util.function.LongSupplier::getAsLong)
                .description("GET answers served from the response cache").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("ployer.response.cache.misses", misses, java.util.function.LongSupplier::getAsLong)
                .description("cacheable GET answers that had to be computed").register(registry);
    }

    public void recordRequest(String method, int status, long nanos) {
        // One timer per (method, status), looked up without building tags on every request.
        requestTimers.computeIfAbsent(method + ' ' + status, key -> Timer.builder("http.server.requests")
                .description("HTTP requests served").tag("method", method).tag("status", String.valueOf(status))
                .register(registry)).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** The Undertow handler answering {@code GET /metrics}. */
    public HttpHandler handler() {
        return exchange -> {
            bindJvmMeters();
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            exchange.getResponseSender().send(registry.scrape());
        };
    }

    /**
     * The handler of {@code /metrics} on the public listener: the scrape for
     * {@code Authorization: Bearer <token>}, a JSON 401 for anyone else; with no token configured,
     * a JSON 404 saying where the metrics are.
     */
    public HttpHandler publicHandler(String token) {
        if (token == null) {
            return exchange -> refuse(exchange, 404, "NOT_FOUND", "Metrics are not served on this listener: scrape the metrics "
                    + "listener (PLOYER_METRICS_PORT, 127.0.0.1:9464 by default), or set PLOYER_METRICS_TOKEN to serve them here.");
        }
        HttpHandler scrape = handler();
        byte[] expected = token.getBytes(StandardCharsets.UTF_8);
        return exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
            byte[] given = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8) : new byte[0];
            if (MessageDigest.isEqual(expected, given)) {
                scrape.handleRequest(exchange);
            } else {
                exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer");
                refuse(exchange, 401, "UNAUTHENTICATED", "Metrics need Authorization: Bearer with the metrics token (PLOYER_METRICS_TOKEN).");
            }
        };
    }

    private static void refuse(io.undertow.server.HttpServerExchange exchange, int status, String code, String message) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send("{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message
                + "\",\"field\":null}}", StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
        synchronized (this) {
            if (gcMetrics != null) {
                gcMetrics.close();
            }
        }
        registry.close();
    }
}
