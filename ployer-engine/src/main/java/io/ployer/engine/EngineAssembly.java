package io.ployer.engine;

import io.ployer.engine.network.NetworkTargets;
import io.ployer.engine.source.GitUrlRules;
import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.engine.account.DefaultAccountService;
import io.ployer.engine.account.PasswordHasher;
import io.ployer.engine.application.DefaultApplicationService;
import io.ployer.engine.container.DefaultContainerService;
import io.ployer.engine.deploy.DeploymentPipeline;
import io.ployer.engine.deploy.Reconciler;
import io.ployer.engine.event.EventBus;
import io.ployer.engine.health.DefaultHealthService;
import io.ployer.engine.health.HealthMonitor;
import io.ployer.engine.health.StatsSampler;
import io.ployer.engine.plugin.EnginePluginContext;
import io.ployer.engine.plugin.PluginRegistry.Candidate;
import io.ployer.engine.plugin.PluginRole;
import io.ployer.engine.secret.SecretRedactor;
import io.ployer.engine.server.DefaultServerService;
import io.ployer.engine.webhook.DefaultWebhookService;
import io.ployer.spi.plugin.PluginFactory;
import io.ployer.spi.build.BuildStrategy;
import io.ployer.spi.git.GitProvider;
import io.ployer.spi.proxy.ReverseProxy;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.storage.Storage;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a starting engine opens its plugins and wires its services on them, in order: data directory
 * and lock, storage and secrets, build strategies, forges, runtime and proxy, then every service,
 * the pipeline, the reconciler and the background checks. Everything that must be closed is pushed
 * onto the engine's stack of open resources, which {@link PloyerEngine} closes in reverse.
 */
final class EngineAssembly {
    private static final Logger LOG = LoggerFactory.getLogger(EngineAssembly.class);

    private final EngineConfig config;
    private final PluginChoices choices;
    private final Clock clock;
    private final ThreadFactory threadFactory;
    private final Deque<AutoCloseable> openResources;

    EngineAssembly(EngineConfig config, PluginChoices choices, Clock clock, ThreadFactory threadFactory,
                   Deque<AutoCloseable> openResources) {
        this.config = config;
        this.choices = choices;
        this.clock = clock;
        this.threadFactory = threadFactory;
        this.openResources = openResources;
    }

    /** Opens the chosen plugins and wires every service on them; what must be closed is pushed onto {@code openResources}. */
    PloyerEngine.Services open() {
        try {
            if (!Files.exists(config.dataDirectory())) {
                // The database holds password hashes and the key file sits beside it: owner-only from the start.
                Files.createDirectories(config.dataDirectory(), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new PloyerException(StandardErrorCode.CONFIGURATION,
                    "cannot create the data directory " + config.dataDirectory() + ": " + e.getMessage(), e);
        }
        if (config.reconcile()) {
            // an engine that acts on containers owns its directory; maintenance engines (reconcile off) may share it
            openResources.push(DataDirectoryLock.acquire(config.dataDirectory()));
        }
        ExecutorService executor = Executors.newCachedThreadPool(threadFactory);
        openResources.push(executor::shutdownNow);
        EventBus events = new EventBus(threadFactory, 4096);
        openResources.push(events);
        SecretRedactor redactor = new SecretRedactor();
        // Made on first use: building a JDK HttpClient initialises TLS and reads the trust store, which a
        // server that deploys nothing never needs. Its threads come from the executor closed above.
        Supplier<HttpClient> httpClient = new OnFirstUse<>(() -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).executor(executor).build());

        Storage storage = create(choices.storage, PluginRole.STORAGE, executor, events, redactor, httpClient);
        openResources.push(storage);
        storage.start();

        SecretBootstrap.Secrets secrets = SecretBootstrap.open(config, storage);

        Map<String, BuildStrategy> strategies = new TreeMap<>();
        choices.builds.forEach((name, choice) -> strategies.put(name, create(choice, PluginRole.BUILD, executor, events,
                redactor, httpClient, config.pluginConfig(PluginRole.BUILD.key() + "." + name))));
        // The application kind compose: chosen like a build strategy, deployed as a stack (engine.stack).
        strategies.putIfAbsent(io.ployer.engine.stack.ComposeStrategy.NAME, new io.ployer.engine.stack.ComposeStrategy());
        Map<String, GitProvider> gitProviders = new LinkedHashMap<>();
        choices.gits.forEach((name, choice) -> gitProviders.put(name, create(choice, PluginRole.GIT, executor, events,
                redactor, httpClient, config.pluginConfig(PluginRole.GIT.key() + "." + name))));

        Optional<ContainerRuntime> localRuntime = choices.runtime.map(choice -> {
            ContainerRuntime created = create(choice, PluginRole.RUNTIME, executor, events, redactor, httpClient);
            openResources.push(created);
            return created;
        });
        Optional<ReverseProxy> localProxy = choices.proxy.map(choice -> {
            // a failed start is retried with backoff (the reconciler asks every second while it does not answer)
            ReverseProxy created = new io.ployer.engine.deploy.StartRetryingProxy(
                    create(choice, PluginRole.PROXY, executor, events, redactor, httpClient), choice.factory().name(), clock,
                    redactor::redact);
            openResources.push(created);
            created.start();
            return created;
        });

        // Remote servers (servers.remote-deploy): calls go to the engine and the proxy of the application's server.
        Optional<io.ployer.engine.remote.RemoteServers> remoteServers = config.remoteDeploy() && localRuntime.isPresent()
                ? Optional.of(remoteServers(storage, secrets, executor, events, redactor, httpClient)) : Optional.empty();
        remoteServers.ifPresent(openResources::push);
        Optional<ContainerRuntime> runtime = remoteServers.isEmpty() ? localRuntime : localRuntime.map(local ->
                new io.ployer.engine.remote.ServerRoutedRuntime(local, storage, remoteServers.get()));
        Optional<ReverseProxy> proxy = remoteServers.isEmpty() ? localProxy : localProxy.map(local ->
                new io.ployer.engine.remote.ServerRoutedProxy(local, remoteServers.get()));

        // Databases (on unless databases.enabled=false; they need a runtime): the pipeline's runtime then hands linked applications their variables.
        Optional<io.ployer.engine.database.DefaultDatabaseService> databases = Optional.empty();
        Optional<ContainerRuntime> pipelineRuntime = runtime;
        if (config.databasesEnabled() && runtime.isPresent() && keepsDatabases(storage)) {
            var databaseService = new io.ployer.engine.database.DefaultDatabaseService(storage, secrets.cipher(), redactor,
                    runtime.get(), clock, config.databaseImages(), instanceId(storage), events::publish, threadFactory,
                    config.databaseReadyTimeout(), config.dataDirectory().resolve("tmp").resolve("restore"));
            openResources.push(databaseService);
            databaseService.start();
            databases = Optional.of(databaseService);
            pipelineRuntime = Optional.of(io.ployer.engine.database.LinkingContainerRuntime.linking(runtime.get(), databaseService));
        }
        NetworkTargets networkTargets = new NetworkTargets(NetworkTargets.SYSTEM, config.allowPrivateHosts());
        DefaultApplicationService applications = new DefaultApplicationService(storage, secrets.cipher(), redactor, clock,
                strategies, new GitUrlRules.Policy(config.allowFileGitUrls(), config.allowInsecureGitUrls()), networkTargets,
                config.allowWildcardDomains(), config.baseDomain());
        io.ployer.engine.registry.DefaultRegistryService registries = new io.ployer.engine.registry.DefaultRegistryService(storage,
                secrets.cipher(), redactor, clock);
        registries.registerSecrets();
        // The pipeline pulls with the registries' credentials, and (with databases on) hands linked apps their variables.
        Optional<ContainerRuntime> registryAwareRuntime = pipelineRuntime.map(
                containerRuntime -> new io.ployer.engine.registry.RegistryAwareRuntime(containerRuntime, registries));
        // The secrets the API never hands out, for the pipeline and the checkout only.
        io.ployer.engine.application.ApplicationInternals internals = new io.ployer.engine.application.ApplicationInternals(
                storage, secrets.cipher(), redactor, clock, networkTargets);
        DeploymentPipeline deployments = new DeploymentPipeline(storage, internals, registryAwareRuntime, proxy, strategies,
                new GitSourceCheckout(internals.networkTargets(), config.dataDirectory().resolve("workspaces")), config.deploy(), clock, events::publish, redactor::redact,
                threadFactory, httpClient, Duration.ofSeconds(2), instanceId(storage));
        io.ployer.engine.application.ApplicationVolumes volumes = new io.ployer.engine.application.ApplicationVolumes(
                storage, applications, runtime, config.volumeBindRoots(), instanceId(storage), clock);
        deployments.setImagePublisher(new io.ployer.engine.registry.RegistryPush(registries));
        io.ployer.engine.application.ApplicationFiles files = new io.ployer.engine.application.ApplicationFiles(storage,
                secrets.cipher(), config.dataDirectory(), clock);
        deployments.setExtraMounts(files::mountsFor);
        deployments.setStackDeployer(new io.ployer.engine.stack.ComposeStack(storage, config.volumeBindRoots()));
        remoteServers.ifPresent(remote -> deployments.setServerRuntimes(application -> remote.serverOf(application)
                .map(serverId -> new io.ployer.engine.registry.RegistryAwareRuntime(remote.runtime(serverId), registries)),
                (application, endpoint) -> remote.probeEndpoint(application.id(), endpoint)));
        openResources.push(deployments);
        applications.addDeletionListener(deployments::removeApplication);
        // Certificate checks against the local proxy's HTTPS listener (remote servers' Caddy is not reached from here).
        Optional<io.ployer.engine.certificate.CertificateMonitor> certificates = localProxy.filter(local -> config.reconcile()
                && io.ployer.engine.certificate.CertificateMonitor.wanted(config.certificates(), local)).map(local ->
                new io.ployer.engine.certificate.CertificateMonitor(storage, local, clock, events::publish, config.certificates(), threadFactory));
        certificates.ifPresent(openResources::push);
        applications.setTls(proxy.isPresent(), host -> proxy.flatMap(reverseProxy -> reverseProxy.tlsFor(host)),
                host -> certificates.flatMap(monitor -> monitor.lastCheck(host)));
        applications.runControl(new io.ployer.engine.application.RunControl() {
            @Override
            public io.ployer.api.application.Application stop(String applicationId) {
                return deployments.stopApplication(applicationId);
            }

            @Override
            public io.ployer.api.application.Application start(String applicationId) {
                return deployments.startApplication(applicationId);
            }

            @Override
            public io.ployer.api.application.Application scale(String applicationId, int replicas) {
                return deployments.scaleApplication(applicationId, replicas);
            }
        });
        DefaultHealthService health = new DefaultHealthService(storage, applications::get);
        HealthMonitor monitor = new HealthMonitor(storage, runtime, new OnFirstUse<>(HealthMonitor::probeClient), clock, events::publish,
                config.health(), threadFactory);
        openResources.push(monitor);
        remoteServers.ifPresent(remote -> {
            monitor.setVisibility(remote::reachable);
            monitor.setProbeEndpoints(remote::probeEndpoint);
            remote.start();
        });
        DefaultWebhookService webhooks = new DefaultWebhookService(storage, secrets.cipher(), clock, gitProviders,
                applications::get, deployments::deploy, events::publish);
        io.ployer.engine.preview.DefaultPreviewService previews = new io.ployer.engine.preview.DefaultPreviewService(storage,
                secrets.cipher(), redactor, clock, applications, internals, deployments::deploy, gitProviders, httpClient, threadFactory,
                events::publish);
        openResources.push(previews);
        webhooks.setPullRequestHandler(previews::onPullRequest);
        openResources.push(events.subscribe(event -> event instanceof io.ployer.api.event.PloyerEvent.DeploymentStatusChanged,
                previews::onEvent));
        DefaultServerService servers = new DefaultServerService(storage, clock, secrets.cipher(), runtime, config.dataDirectory(),
                networkTargets);
        servers.registerLocal();
        for (var application : applications.list()) {
            internals.registerSecrets(application.id());
            previews.registerSecrets(application.id());
        }
        Optional<Reconciler> reconciler = Optional.empty();
        if (config.reconcile()) {
            deployments.reconcile();
            Reconciler loop = new Reconciler(storage, runtime, proxy, deployments, instanceId(storage),
                    config.reconcileInterval(), clock, threadFactory);
            openResources.push(loop);
            loop.start();
            // Passes on events too: a serving container died, the runtime reconnected, the proxy refused a change.
            openResources.push(new io.ployer.engine.deploy.ReconcileTriggers(storage, loop).start(runtime, deployments,
                    instanceId(storage)));
            reconciler = Optional.of(loop);
            // A domain added to or removed from a running application is routed now, not at the next pass.
            applications.onDomainsChanged(applicationId -> loop.trigger());
            monitor.start();
            certificates.ifPresent(io.ployer.engine.certificate.CertificateMonitor::start);
            java.util.concurrent.ScheduledExecutorService serverChecks = Executors.newSingleThreadScheduledExecutor(threadFactory);
            openResources.push(serverChecks::shutdownNow);
            serverChecks.scheduleWithFixedDelay(() -> {
                try {
                    servers.checkAll(events::publish);
                } catch (RuntimeException e) {
                    LOG.warn("server checks failed: {}", e.toString());
                }
            }, config.serverCheckInterval().toMillis(), config.serverCheckInterval().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            // Audit entries past the retention (audit.retention-days) go once a day, the first time at start.
            serverChecks.scheduleWithFixedDelay(() -> {
                try {
                    storage.audit().deleteBefore(clock.instant().minus(Duration.ofDays(config.auditRetentionDays())));
                } catch (RuntimeException e) {
                    LOG.warn("trimming the audit log failed: {}", e.toString());
                }
            }, 0, 1, java.util.concurrent.TimeUnit.DAYS);
            // Previews idle past their application's expire_days go; checked every hour, the first time at start.
            serverChecks.scheduleWithFixedDelay(() -> {
                try {
                    previews.expire();
                } catch (RuntimeException e) {
                    LOG.warn("expiring previews failed: {}", e.toString());
                }
            }, 0, 1, java.util.concurrent.TimeUnit.HOURS);
            runtime.ifPresent(containerRuntime -> {
                StatsSampler sampler = new StatsSampler(storage, containerRuntime, clock, events::publish, config.statsInterval(),
                        config.statsRetention(), threadFactory);
                openResources.push(sampler);
                sampler.start();
            });
        }
        Map<String, io.ployer.spi.notify.NotifierFactory> notifierFactories = new TreeMap<>();
        choices.notifiers.forEach((name, choice) -> notifierFactories.put(name, choice.factory()));
        io.ployer.engine.notify.DefaultNotificationService notifications = new io.ployer.engine.notify.DefaultNotificationService(
                storage, secrets.cipher(), redactor, clock, notifierFactories, new EnginePluginContext(clock, threadFactory,
                executor, events::publish, redactor::redact, config.dataDirectory().resolve("plugins").resolve("notifier"),
                httpClient), config.notifications(), threadFactory);
        openResources.push(notifications);
        notifications.start(events);
        if (config.reconcile()) {
            notifications.resumePending();
            // Delivery attempts past notifications.retention-days go once a day, the first time at start.
            java.util.concurrent.ScheduledExecutorService trims = Executors.newSingleThreadScheduledExecutor(threadFactory);
            openResources.push(trims::shutdownNow);
            trims.scheduleWithFixedDelay(() -> {
                try {
                    notifications.pruneDeliveries(Duration.ofDays(config.notificationRetentionDays()));
                } catch (RuntimeException e) {
                    LOG.warn("pruning notification deliveries failed: {}", e.toString());
                }
            }, 0, 1, java.util.concurrent.TimeUnit.DAYS);
        }
        EngineAdministration administration = new EngineAdministration(storage, secrets, choices.registry, choices::isActive,
                choices.chosenNames(), runtime, proxy,
                config.secretSpec().isPresent() ? Optional.empty() : Optional.of(config.dataDirectory().resolve(SecretBootstrap.KEY_FILE)),
                clock,
                reconciler, event -> {
                    events.publish(event);
                    notifications.onEvent(event); // directly: a CLI backup's engine closes right after
                });
        databases.ifPresent(service -> service.setArchiveWriter(administration::backupArchive));
        DefaultAccountService accounts = new DefaultAccountService(storage, clock, PasswordHasher.standard(), Duration.ofHours(24),
                secrets.cipher(), config.requireTotp());
        return new PloyerEngine.Services(storage, events, redactor, applications, deployments, health, webhooks, servers, accounts,
                new DefaultContainerService(runtime, config.deploy().stopTimeout()), administration, volumes, notifications, databases, registries, files, previews,
                io.ployer.engine.template.TemplateCatalogue.load(config.dataDirectory().resolve("templates"),
                        config.templateImages()));
    }

    private io.ployer.engine.remote.RemoteServers remoteServers(Storage storage, SecretBootstrap.Secrets secrets,
                                                                ExecutorService executor, EventBus events, SecretRedactor redactor,
                                                                Supplier<HttpClient> httpClient) {
        Map<String, String> runtimeBase = config.pluginConfig(PluginRole.RUNTIME.key());
        // The servers' Caddy: the local proxy's settings but for where it listens and how it is reached.
        Map<String, String> proxyBase = new java.util.HashMap<>(config.pluginConfig(PluginRole.PROXY.key()));
        proxyBase.keySet().removeAll(java.util.Set.of("admin-address", "http-port", "https-port", "listen-host", "http-only"));
        return new io.ployer.engine.remote.RemoteServers(storage, secrets.cipher(),
                new NetworkTargets(NetworkTargets.SYSTEM, config.allowPrivateHosts()), config.remoteSettings(),
                overrides -> create(choices.runtime.orElseThrow(), PluginRole.RUNTIME, executor, events, redactor, httpClient,
                        merged(runtimeBase, overrides, choices.runtime.orElseThrow().factory().configKeys())),
                choices.proxy.filter(choice -> choice.factory().name().equals("caddy")).map(choice -> overrides ->
                        create(choice, PluginRole.PROXY, executor, events, redactor, httpClient,
                                merged(proxyBase, overrides, choice.factory().configKeys()))),
                instanceId(storage), clock, events::publish, threadFactory);
    }

    /** The base settings with the overrides the plugin declares. */
    private static Map<String, String> merged(Map<String, String> base, Map<String, String> overrides, java.util.Set<String> declared) {
        Map<String, String> merged = new java.util.HashMap<>(base);
        overrides.forEach((key, value) -> {
            if (declared.contains(key)) {
                merged.put(key, value);
            }
        });
        return merged;
    }

    /** Whether the storage plugin keeps databases (one written before them does not: the engine then runs without). */
    private static boolean keepsDatabases(Storage storage) {
        try {
            storage.databases();
            return true;
        } catch (UnsupportedOperationException e) {
            LOG.info("databases are off: the storage plugin does not keep them");
            return false;
        }
    }

    /** The id of this installation, made at its first start and kept in its database. */
    private static String instanceId(Storage storage) {
        return storage.inTransaction(tx -> tx.settings().get("instance.id").orElseGet(() -> {
            String id = java.util.UUID.randomUUID().toString();
            tx.settings().put("instance.id", id);
            return id;
        }));
    }

    private <T> T create(Candidate<? extends PluginFactory<T>> choice, PluginRole role, ExecutorService executor,
                         EventBus events, SecretRedactor redactor, Supplier<HttpClient> httpClient) {
        return create(choice, role, executor, events, redactor, httpClient, config.pluginConfig(role.key()));
    }

    private <T> T create(Candidate<? extends PluginFactory<T>> choice, PluginRole role, ExecutorService executor,
                         EventBus events, SecretRedactor redactor, Supplier<HttpClient> httpClient, Map<String, String> pluginConfig) {
        String name = choice.factory().name();
        // Storage keeps its database at the top of the data directory (data/ployer.db); other plugins get a folder each.
        java.nio.file.Path pluginDirectory = role == PluginRole.STORAGE ? config.dataDirectory()
                : config.dataDirectory().resolve("plugins").resolve(role.key() + "-" + name);
        // Values of the keys a plugin declares secret never reach a log line or a failure reason.
        java.util.Set<String> secretKeys = choice.factory().secretConfigKeys();
        redactor.register("plugin:" + role.key() + ":" + name, pluginConfig.entrySet().stream()
                .filter(entry -> secretKeys.contains(entry.getKey())).map(Map.Entry::getValue).toList());
        EnginePluginContext context = new EnginePluginContext(clock, threadFactory, executor, events::publish,
                redactor::redact, pluginDirectory, httpClient);
        return choice.factory().create(pluginConfig, context);
    }
}
