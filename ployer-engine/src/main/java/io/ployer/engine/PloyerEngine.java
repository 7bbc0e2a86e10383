package io.ployer.engine;

import io.ployer.engine.network.NetworkTargets;
import io.ployer.engine.source.GitUrlRules;
import io.ployer.api.Administration;
import io.ployer.api.Ployer;
import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.account.AccountService;
import io.ployer.api.application.ApplicationService;
import io.ployer.api.container.ContainerService;
import io.ployer.api.deployment.DeploymentService;
import io.ployer.api.event.EventService;
import io.ployer.api.health.HealthService;
import io.ployer.api.server.ServerService;
import io.ployer.api.webhook.WebhookService;
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
import io.ployer.engine.plugin.PluginRegistry;
import io.ployer.engine.plugin.PluginRegistry.Candidate;
import io.ployer.engine.plugin.PluginRole;
import io.ployer.engine.secret.SecretRedactor;
import io.ployer.engine.server.DefaultServerService;
import io.ployer.engine.webhook.DefaultWebhookService;
import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.PluginFactory;
import io.ployer.spi.build.BuildStrategy;
import io.ployer.spi.build.BuildStrategyFactory;
import io.ployer.spi.git.GitProvider;
import io.ployer.spi.git.GitProviderFactory;
import io.ployer.spi.proxy.ReverseProxy;
import io.ployer.spi.proxy.ReverseProxyFactory;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.runtime.ContainerRuntimeFactory;
import io.ployer.spi.storage.Storage;
import io.ployer.spi.storage.StorageFactory;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
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
 * The engine behind {@link Ployer}: chooses plugins at build time, opens and wires them at
 * {@link #start()}, closes them in reverse order at {@link #close()}. Holds no static state.
 */
final class PloyerEngine implements Ployer {
    private static final Logger LOG = LoggerFactory.getLogger(PloyerEngine.class);

    private final EngineConfig config;
    private final Clock clock;
    private final ThreadFactory threadFactory;
    private final PluginRegistry registry;
    private final Candidate<StorageFactory> storageChoice;
    private final Optional<Candidate<ContainerRuntimeFactory>> runtimeChoice;
    private final Optional<Candidate<ReverseProxyFactory>> proxyChoice;
    private final Map<String, Candidate<BuildStrategyFactory>> buildChoices;
    private final Map<String, Candidate<GitProviderFactory>> gitChoices;
    private final Map<String, Candidate<io.ployer.spi.notify.NotifierFactory>> notifierChoices;

    private final Object lifecycle = new Object();
    private final Deque<AutoCloseable> openResources = new ArrayDeque<>();
    private volatile State state = State.NEW;
    private volatile Services services;

    private enum State { NEW, STARTING, RUNNING, CLOSED }

    /** Everything that exists only while the engine runs. */
    private record Services(Storage storage, EventBus events, SecretRedactor redactor,
                            DefaultApplicationService applications, DeploymentPipeline deployments,
                            DefaultHealthService health, DefaultWebhookService webhooks,
                            DefaultServerService servers, DefaultAccountService accounts,
                            DefaultContainerService containers, EngineAdministration administration,
                            io.ployer.engine.application.ApplicationVolumes volumes,
                            io.ployer.engine.notify.DefaultNotificationService notifications,
                            Optional<io.ployer.engine.database.DefaultDatabaseService> databases,
                            io.ployer.engine.registry.DefaultRegistryService registries,
                            io.ployer.engine.application.ApplicationFiles files) {
    }

    PloyerEngine(EngineConfig config, List<PloyerPlugin> plugins, boolean discover, ClassLoader loader, Clock clock,
                 ThreadFactory threadFactory) {
        this.config = config;
        this.clock = clock;
        this.threadFactory = threadFactory;
        this.registry = PluginRegistry.of(plugins, discover, loader,
                io.ployer.engine.plugin.PluginFolder.scan(config.pluginsDirectory(), PloyerEngine.class.getClassLoader()));
        this.storageChoice = registry.select(PluginRole.STORAGE, config.storage());
        this.runtimeChoice = config.runtime().isPresent()
                ? Optional.of(registry.<ContainerRuntimeFactory>select(PluginRole.RUNTIME, config.runtime().get()))
                : registry.find(PluginRole.RUNTIME, "docker");
        this.proxyChoice = config.proxy().map(name -> registry.<ReverseProxyFactory>select(PluginRole.PROXY, name));
        this.buildChoices = registry.all(PluginRole.BUILD);
        this.gitChoices = registry.all(PluginRole.GIT);
        this.notifierChoices = registry.all(PluginRole.NOTIFIER);
        checkPluginConfig();
    }

    /**
     * Plugin settings are checked when the engine is built, not first when a plugin is created at
     * start: a key the chosen plugin does not declare, or {@code proxy.*} settings with no proxy
     * chosen (they would be ignored), are CONFIGURATION errors naming the key.
     */
    private void checkPluginConfig() {
        List<String> problems = new java.util.ArrayList<>();
        unknownKeys(PluginRole.STORAGE, Optional.of(storageChoice), problems);
        unknownKeys(PluginRole.RUNTIME, runtimeChoice, problems);
        if (proxyChoice.isEmpty() && !config.pluginConfig(PluginRole.PROXY.key()).isEmpty()) {
            problems.add(config.pluginConfig(PluginRole.PROXY.key()).keySet().stream().map(key -> "proxy." + key)
                    .collect(java.util.stream.Collectors.joining(", "))
                    + ": set, but no reverse proxy is chosen; choose one with proxy=caddy (PLOYER_PROXY=caddy) or remove them");
        }
        unknownKeys(PluginRole.PROXY, proxyChoice, problems);
        if (!problems.isEmpty()) {
            throw new PloyerException(StandardErrorCode.CONFIGURATION, "invalid configuration: " + String.join("; ", problems));
        }
    }

    private <F extends PluginFactory<?>> void unknownKeys(PluginRole role, Optional<Candidate<F>> choice, List<String> problems) {
        if (choice.isEmpty() || choice.get().factory().configKeys().isEmpty()) {
            return; // a factory that declares no keys checks its own
        }
        java.util.Set<String> known = choice.get().factory().configKeys();
        for (String key : config.pluginConfig(role.key()).keySet()) {
            if (!known.contains(key)) {
                problems.add(role.key() + "." + key + ": not a setting of the " + role.key() + " plugin '"
                        + choice.get().factory().name() + "' (its settings: " + new java.util.TreeSet<>(known) + ")");
            }
        }
    }

    @Override
    public void start() {
        synchronized (lifecycle) {
            if (state != State.NEW) {
                throw new PloyerException(StandardErrorCode.INVALID_STATE, "start() may be called once; the engine is " + state);
            }
            state = State.STARTING;
            try {
                services = open();
                state = State.RUNNING;
                LOG.info("Ployer started: storage={}, runtime={}, proxy={}, data={}", storageChoice.factory().name(),
                        runtimeChoice.map(choice -> choice.factory().name()).orElse("none"),
                        proxyChoice.map(choice -> choice.factory().name()).orElse("none"), config.dataDirectory());
            } catch (RuntimeException e) {
                closeResources();
                state = State.CLOSED;
                throw e;
            }
        }
    }

    private Services open() {
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

        Storage storage = create(storageChoice, PluginRole.STORAGE, executor, events, redactor, httpClient);
        openResources.push(storage);
        storage.start();

        SecretBootstrap.Secrets secrets = SecretBootstrap.open(config, storage);

        Map<String, BuildStrategy> strategies = new TreeMap<>();
        buildChoices.forEach((name, choice) -> strategies.put(name, create(choice, PluginRole.BUILD, executor, events,
                redactor, httpClient, config.pluginConfig(PluginRole.BUILD.key() + "." + name))));
        // The application kind compose: chosen like a build strategy, deployed as a stack (engine.stack).
        strategies.putIfAbsent(io.ployer.engine.stack.ComposeStrategy.NAME, new io.ployer.engine.stack.ComposeStrategy());
        Map<String, GitProvider> gitProviders = new LinkedHashMap<>();
        gitChoices.forEach((name, choice) -> gitProviders.put(name, create(choice, PluginRole.GIT, executor, events,
                redactor, httpClient, config.pluginConfig(PluginRole.GIT.key() + "." + name))));

        Optional<ContainerRuntime> runtime = runtimeChoice.map(choice -> {
            ContainerRuntime created = create(choice, PluginRole.RUNTIME, executor, events, redactor, httpClient);
            openResources.push(created);
            return created;
        });
        Optional<ReverseProxy> proxy = proxyChoice.map(choice -> {
            // a failed start is retried with backoff (the reconciler asks every second while it does not answer)
            ReverseProxy created = new io.ployer.engine.deploy.StartRetryingProxy(
                    create(choice, PluginRole.PROXY, executor, events, redactor, httpClient), choice.factory().name(), clock,
                    redactor::redact);
            openResources.push(created);
            created.start();
            return created;
        });

        // Databases (off unless databases.enabled): the pipeline's runtime then hands linked applications their variables.
        Optional<io.ployer.engine.database.DefaultDatabaseService> databases = Optional.empty();
        Optional<ContainerRuntime> pipelineRuntime = runtime;
        if (config.databasesEnabled() && runtime.isPresent()) {
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
                new GitSourceCheckout(internals, config.dataDirectory().resolve("workspaces")), config.deploy(), clock, events::publish, redactor::redact,
                threadFactory, httpClient, Duration.ofSeconds(2), instanceId(storage));
        io.ployer.engine.application.ApplicationVolumes volumes = new io.ployer.engine.application.ApplicationVolumes(
                storage, applications, runtime, config.volumeBindRoots(), instanceId(storage), clock);
        deployments.setImagePublisher(new io.ployer.engine.registry.RegistryPush(registries));
        io.ployer.engine.application.ApplicationFiles files = new io.ployer.engine.application.ApplicationFiles(storage,
                secrets.cipher(), config.dataDirectory(), clock);
        deployments.setExtraMounts(files::mountsFor);
        deployments.setStackDeployer(new io.ployer.engine.stack.ComposeStack(storage, config.volumeBindRoots()));
        openResources.push(deployments);
        applications.addDeletionListener(deployments::removeApplication);
        applications.runControl(new io.ployer.engine.application.DefaultApplicationService.RunControl() {
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
        DefaultWebhookService webhooks = new DefaultWebhookService(storage, secrets.cipher(), clock, gitProviders,
                applications::get, deployments::deploy, events::publish);
        DefaultServerService servers = new DefaultServerService(storage, clock, secrets.cipher(), runtime, config.dataDirectory(),
                networkTargets);
        servers.registerLocal();
        for (var application : applications.list()) {
            internals.registerSecrets(application.id());
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
            monitor.start();
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
            runtime.ifPresent(containerRuntime -> {
                StatsSampler sampler = new StatsSampler(storage, containerRuntime, clock, events::publish, config.statsInterval(),
                        config.statsRetention(), threadFactory);
                openResources.push(sampler);
                sampler.start();
            });
        }
        Map<String, io.ployer.spi.notify.NotifierFactory> notifierFactories = new TreeMap<>();
        notifierChoices.forEach((name, choice) -> notifierFactories.put(name, choice.factory()));
        io.ployer.engine.notify.DefaultNotificationService notifications = new io.ployer.engine.notify.DefaultNotificationService(
                storage, secrets.cipher(), redactor, clock, notifierFactories, new EnginePluginContext(clock, threadFactory,
                executor, events::publish, redactor::redact, config.dataDirectory().resolve("plugins").resolve("notifier"),
                httpClient), config.notifications(), threadFactory);
        openResources.push(notifications);
        notifications.start(events);
        EngineAdministration administration = new EngineAdministration(storage, secrets, registry, choice ->
                choice == storageChoice || runtimeChoice.orElse(null) == choice || proxyChoice.orElse(null) == choice
                        || buildChoices.containsValue(choice) || gitChoices.containsValue(choice)
                        || notifierChoices.containsValue(choice), chosenNames(), runtime, proxy,
                config.secretSpec().isPresent() ? Optional.empty() : Optional.of(config.dataDirectory().resolve(SecretBootstrap.KEY_FILE)),
                clock,
                reconciler, event -> {
                    events.publish(event);
                    notifications.onEvent(event); // directly: a CLI backup's engine closes right after
                });
        DefaultAccountService accounts = new DefaultAccountService(storage, clock, PasswordHasher.standard(), Duration.ofHours(24),
                secrets.cipher(), config.requireTotp());
        return new Services(storage, events, redactor, applications, deployments, health, webhooks, servers, accounts,
                new DefaultContainerService(runtime, config.deploy().stopTimeout()), administration, volumes, notifications, databases, registries, files);
    }

    /** The id of this installation, made at its first start and kept in its database. */
    private static String instanceId(Storage storage) {
        return storage.inTransaction(tx -> tx.settings().get("instance.id").orElseGet(() -> {
            String id = java.util.UUID.randomUUID().toString();
            tx.settings().put("instance.id", id);
            return id;
        }));
    }

    private Map<String, String> chosenNames() {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("storage", storageChoice.factory().name());
        runtimeChoice.ifPresent(choice -> names.put("runtime", choice.factory().name()));
        proxyChoice.ifPresent(choice -> names.put("proxy", choice.factory().name()));
        return names;
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

    /** The server's seam onto this running engine ({@link ServerSeam#of}). */
    ServerSeam serverSeam() {
        Services current = services();
        return new ServerSeam(current.accounts(), current.storage());
    }

    private Services services() {
        Services current = services;
        if (state != State.RUNNING || current == null) {
            throw new PloyerException(StandardErrorCode.INVALID_STATE,
                    state == State.CLOSED ? "this Ployer engine is closed" : "call start() before using the engine");
        }
        return current;
    }

    @Override
    public boolean isRunning() {
        return state == State.RUNNING;
    }

    @Override
    public ApplicationService applications() {
        return services().applications();
    }

    @Override
    public DeploymentService deployments() {
        return services().deployments();
    }

    @Override
    public HealthService health() {
        return services().health();
    }

    @Override
    public WebhookService webhooks() {
        return services().webhooks();
    }

    @Override
    public ServerService servers() {
        return services().servers();
    }

    @Override
    public EventService events() {
        return services().events();
    }

    @Override
    public io.ployer.api.notification.NotificationService notifications() {
        return services().notifications();
    }

    @Override
    public io.ployer.api.application.ConfigFileService files() {
        return services().files();
    }

    @Override
    public io.ployer.api.registry.RegistryService registries() {
        return services().registries();
    }

    @Override
    public io.ployer.api.application.VolumeService volumes() {
        return services().volumes();
    }

    @Override
    public io.ployer.api.database.DatabaseService databases() {
        return services().databases().orElseThrow(() -> new PloyerException(StandardErrorCode.INVALID_STATE,
                "databases are not enabled on this Ployer: set databases.enabled=true (and have a container runtime)"));
    }

    @Override
    public ContainerService containers() {
        return services().containers();
    }

    @Override
    public AccountService accounts() {
        return services().accounts();
    }

    @Override
    public Administration administration() {
        return services().administration();
    }

    @Override
    public io.ployer.api.access.ProjectService projects() {
        Services current = services();
        return new io.ployer.engine.access.DefaultProjectService(current.storage(), clock,
                new io.ployer.engine.access.Permissions(current.storage()), null);
    }

    @Override
    public Ployer as(io.ployer.api.account.AccountService.Principal principal) {
        return new io.ployer.engine.access.PrincipalView(this, services().storage(), clock, config.auditRetentionDays(), principal);
    }

    @Override
    public io.ployer.api.audit.AuditService audit() {
        Services current = services();
        return new io.ployer.engine.access.DefaultAuditService(current.storage(), clock, config.auditRetentionDays(),
                new io.ployer.engine.access.Permissions(current.storage()), null);
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            closeResources();
            services = null;
        }
    }

    private void closeResources() {
        while (!openResources.isEmpty()) {
            AutoCloseable resource = openResources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", resource.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
