package io.ployer.server.wiring;

import io.ployer.api.Ployer;
import io.ployer.seam.ServerSeam;
import io.ployer.server.http.ApiListener;
import io.ployer.server.http.ApiPaths;
import io.ployer.server.http.Compression;
import io.ployer.server.http.HeapTrimmer;
import io.ployer.server.http.HttpPipeline;
import io.ployer.server.http.JsonErrors;
import io.ployer.server.http.OpenApiDocument;
import io.ployer.server.http.ResponseCache;
import io.ployer.server.http.ServerSettings;
import io.ployer.server.http.StrictUrlHandler;
import io.ployer.server.stream.EventStream;
import io.undertow.Handlers;
import io.undertow.Undertow;
import java.net.InetSocketAddress;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import jakarta.servlet.ServletException;
import java.util.concurrent.TimeUnit;
import org.jboss.resteasy.core.ResteasyDeploymentImpl;
import org.jboss.resteasy.plugins.server.servlet.HttpServlet30Dispatcher;
import org.jboss.resteasy.plugins.server.servlet.ResteasyContextParameters;
import org.jboss.resteasy.spi.ResteasyDeployment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: the REST resources (RESTEasy) on Undertow under {@code /api/v1}, behind the
 * limits and headers of {@link HttpPipeline} and a graceful-shutdown handler.
 */
public final class PloyerServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PloyerServer.class);
    /** Where every REST resource lives. */
    public static final String API_PREFIX = ApiPaths.PREFIX;
    /**
     * Blocking request threads: four per core, at least eight (Undertow's default is eight per
     * core). Requests block only briefly (SQLite, a Docker call, an argon2 hash of which at most two
     * run at once); each idle thread still costs stack and buffers.
     */
    static final int WORKER_THREADS = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());

    private final PloyerRestApplication application;
    private final HttpHandler streams;
    private final HttpPipeline pipeline;
    private final ResponseCache cache;
    private final io.ployer.server.metrics.ServerMetrics metrics = new io.ployer.server.metrics.ServerMetrics();
    private final HeapTrimmer heapTrimmer = new HeapTrimmer();
    private final io.ployer.server.metrics.MetricsSettings metricsSettings;
    private int metricsPort = -1;
    private ApiListener listener;
    /** The metrics listener (loopback by default), when metrics have their own port. */
    private Undertow metricsListener;
    private DeploymentManager manager;
    private ResteasyDeployment deployment;
    private GracefulShutdownHandler shutdown;
    private int port;

    /** The REST API and live streams of one engine. */
    public PloyerServer(Ployer ployer, String version) {
        this(ployer, version, ServerSettings.defaults());
    }

    /** The REST API and live streams of one engine, with the given limits; no metrics endpoint. */
    public PloyerServer(Ployer ployer, String version, ServerSettings settings) {
        this(ployer, version, settings, io.ployer.server.metrics.MetricsSettings.disabled());
    }

    /** The REST API and live streams of one engine, with the given limits, and metrics where {@code metricsSettings} says. */
    public PloyerServer(Ployer ployer, String version, ServerSettings settings, io.ployer.server.metrics.MetricsSettings metricsSettings) {
        this.metricsSettings = metricsSettings;
        this.application = new PloyerRestApplication(ployer, version);
        this.streams = Handlers.websocket(new EventStream(ployer));
        this.pipeline = new HttpPipeline(settings, metrics::recordRequest);
        // The engine's seam for servers: a Ployer that is not the engine itself is served without caching.
        java.util.Optional<ServerSeam> seam = ServerSeam.of(ployer);
        this.cache = new ResponseCache(ployer.accounts(),
                bearer -> seam.flatMap(engine -> engine.authenticateFromMemory(bearer)),
                aggregate -> seam.map(engine -> aggregate == null ? engine.changeCount() : engine.changeCount(aggregate))
                        .orElse(java.util.OptionalLong.empty()),
                ResponseCache.aggregatesRead(application.resources()), settings.responseCacheTtl());
        metrics.observe(ployer);
        metrics.observeCache(() -> cache.statistics().hits(), () -> cache.statistics().misses());
    }

    /** Starts listening; {@code port} 0 picks a free port. */
    public synchronized void start(String host, int requestedPort) {
        deployment = new ResteasyDeploymentImpl();
        deployment.setApplication(application);
        // Every body is JSON through JsonBodyProvider, every error goes through ErrorMapper: RESTEasy's
        // built-in providers (images, forms, SSE, reactive streams …) and their per-method feature
        // copies are not needed, and cost classes and heap.
        deployment.setRegisterBuiltin(false);
        // … except plain strings, which RESTEasy's own OPTIONS answer ("GET, POST, …") is written with.
        deployment.getActualProviderClasses().add(org.jboss.resteasy.plugins.providers.StringTextStar.class);
        DeploymentInfo info = Servlets.deployment()
                .setClassLoader(PloyerServer.class.getClassLoader())
                .setContextPath("/")
                .setDeploymentName("ployer")
                .addServletContextAttribute(ResteasyDeployment.class.getName(), deployment)
                .addServlet(Servlets.servlet("resteasy", HttpServlet30Dispatcher.class)
                        .setAsyncSupported(true)
                        .setLoadOnStartup(1)
                        .addMapping(API_PREFIX + "/*")
                        .addInitParam(ResteasyContextParameters.RESTEASY_SERVLET_MAPPING_PREFIX, API_PREFIX));
        manager = Servlets.newContainer().addDeployment(info);
        manager.deploy();
        HttpHandler servlets;
        try {
            servlets = manager.start();
        } catch (ServletException e) {
            throw new IllegalStateException("the REST deployment failed to start", e);
        }
        HttpHandler routes = Handlers.path(Compression.wrap(cache.wrap(servlets))).addExactPath(API_PREFIX + "/ws", JsonErrors.webSocketOnly(streams))
                // Not public by default: the metrics listener serves them; here only to the metrics token's bearer.
                .addExactPath("/metrics", metrics.publicHandler(metricsSettings.token()));
        // The web dashboard (page and assets from the jar), a client of the API above like any other.
        HttpHandler dashboard = Compression.wrap(new io.ployer.server.web.DashboardHandler());
        ((io.undertow.server.handlers.PathHandler) routes).addExactPath("/", dashboard).addExactPath("/index.html", dashboard)
                .addPrefixPath("/assets", dashboard);
        shutdown = new GracefulShutdownHandler(pipeline.wrap(heapTrimmer.wrap(new StrictUrlHandler(routes))));
        try {
            // URLs reach the handlers undecoded: StrictUrlHandler decodes them and answers a URL that is
            // not percent-encoded UTF-8 with the API's JSON 400 (Undertow's decoder would not).
            listener = ApiListener.start(host, requestedPort, WORKER_THREADS,
                    org.xnio.OptionMap.create(io.undertow.UndertowOptions.DECODE_URL, false), shutdown);
            if (metricsSettings.ownListener()) {
                metricsListener = Undertow.builder().setIoThreads(1).setWorkerThreads(1)
                        .addHttpListener(metricsSettings.port(), metricsSettings.host(), Handlers.path().addExactPath("/metrics", metrics.handler()))
                        .build();
                metricsListener.start();
            }
        } catch (RuntimeException e) {
            if (listener != null) {
                listener.close();
                listener = null;
            }
            metricsListener = null;
            try {
                manager.stop();
            } catch (ServletException stopFailure) {
                e.addSuppressed(stopFailure);
            }
            manager.undeploy();
            if (!(rootCause(e) instanceof java.net.BindException)) {
                throw e;
            }
            throw new io.ployer.api.PloyerException(io.ployer.api.StandardErrorCode.CONFIGURATION, "Could not listen on " + host + ":"
                    + requestedPort + (metricsSettings.ownListener() ? " (PLOYER_PORT) or, for metrics, on " + metricsSettings.host()
                    + ":" + metricsSettings.port() + " (PLOYER_METRICS_PORT; off turns that listener off)" : "")
                    + ": the address is in use or not available on this host.", e);
        }
        port = listener.port();
        LOG.info("listening on http://{}:{}{}", host, port, API_PREFIX);
        if (metricsSettings.ownListener()) {
            metricsPort = ((InetSocketAddress) metricsListener.getListenerInfo().get(0).getAddress()).getPort();
            LOG.info("metrics for Prometheus on http://{}:{}/metrics", metricsSettings.host(), metricsPort);
        }
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    /**
     * The routes RESTEasy actually serves, as {@code "GET /applications/{id}"} (without the API
     * prefix), read from its registry: what the OpenAPI document is checked against.
     */
    public synchronized java.util.Set<String> liveRoutes() {
        java.util.Set<String> routes = new java.util.TreeSet<>();
        var registry = (org.jboss.resteasy.core.ResourceMethodRegistry) deployment.getRegistry();
        registry.getBounded().forEach((path, invokers) -> invokers.forEach(invoker -> {
            if (invoker instanceof org.jboss.resteasy.core.ResourceMethodInvoker method) {
                method.getHttpMethods().forEach(httpMethod -> routes.add(httpMethod + " " + OpenApiDocument.join(path, "")));
            }
        }));
        return routes;
    }

    /** How the response cache is doing. */
    public ResponseCache.Statistics cacheStatistics() {
        return cache.statistics();
    }

    /** How many heap collections ran after password hashing (see {@link HeapTrimmer}). */
    public long heapCollectionsAfterHashing() {
        return heapTrimmer.collections();
    }

    /** The port listened on. */
    public int port() {
        return port;
    }

    /** The port of the metrics listener, or -1 when there is none. */
    public int metricsPort() {
        return metricsPort;
    }

    /** Stops taking requests, lets in-flight ones finish (up to 30 s), then stops. Idempotent. */
    @Override
    public synchronized void close() {
        if (listener == null) {
            return;
        }
        shutdown.shutdown();
        try {
            if (!shutdown.awaitShutdown(TimeUnit.SECONDS.toMillis(30))) {
                LOG.warn("requests still running after 30 s; stopping anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        listener.close();
        try {
            manager.stop();
        } catch (ServletException e) {
            LOG.warn("stopping the REST deployment failed: {}", e.toString());
        }
        manager.undeploy();
        metrics.close();
        heapTrimmer.close();
        if (metricsListener != null) {
            metricsListener.stop();
            metricsListener = null;
        }
        listener = null;
    }
}
