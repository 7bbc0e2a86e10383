package io.ployer.server.cli;

import io.ployer.api.Administration.ComponentStatus;
import io.ployer.api.Ployer;
import io.ployer.api.PloyerBuilder;
import io.ployer.api.PloyerException;
import io.ployer.seam.ServerSeam;
import io.ployer.server.wiring.PloyerServer;
import io.ployer.server.http.ServerSettings;
import io.ployer.server.metrics.MetricsSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ployer start | migrate | reset-password | backup | restore | rotate-key}. Configuration comes from {@code PLOYER_*} variables. */
@Command(name = "ployer", mixinStandardHelpOptions = true, version = PloyerCommand.VERSION,
        description = "Self-hosted deployments from git to Docker.",
        subcommands = {PloyerCommand.Start.class, PloyerCommand.Migrate.class, PloyerCommand.ResetPassword.class,
                PloyerCommand.Backup.class, PloyerCommand.Restore.class, PloyerCommand.RotateKey.class})
public final class PloyerCommand implements Callable<Integer> {
    /** The version the server reports. */
    public static final String VERSION = "0.1.0-SNAPSHOT";

    private final Map<String, String> environment;
    private final PrintStream out;

    public PloyerCommand(Map<String, String> environment, PrintStream out) {
        this.environment = Map.copyOf(environment);
        this.out = out;
    }

    /** Runs the command line and returns the exit code. */
    public static int run(Map<String, String> environment, PrintStream out, PrintStream err, String... arguments) {
        PloyerCommand root = new PloyerCommand(environment, out);
        CommandLine commandLine = new CommandLine(root, new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == Start.class || type == Migrate.class || type == ResetPassword.class || type == Backup.class
                        || type == Restore.class || type == RotateKey.class) {
                    return type.getDeclaredConstructor(PloyerCommand.class).newInstance(root);
                }
                return CommandLine.defaultFactory().create(type);
            }
        });
        commandLine.setOut(new java.io.PrintWriter(out, true));
        commandLine.setErr(new java.io.PrintWriter(err, true));
        commandLine.setExecutionExceptionHandler((failure, line, parsed) -> {
            if (failure instanceof PloyerException ployerException) {
                err.println("ployer: " + ployerException.getMessage());
                return 2;
            }
            throw failure;
        });
        return commandLine.execute(arguments);
    }

    @Override
    public Integer call() {
        out.println("usage: ployer start | migrate | reset-password | backup | restore | rotate-key  (ployer --help)");
        return 2;
    }

    /** Options every command shares. */
    static class DataOptions {
        @Option(names = "--data-dir", description = "data directory (database, key file); default $PLOYER_DATA_DIR or ./data")
        Path dataDirectory;
    }

    PloyerBuilder builder(DataOptions options, boolean maintenance) {
        PloyerBuilder builder = Ployer.builder().environment(environment);
        if (options.dataDirectory != null) {
            builder.dataDirectory(options.dataDirectory);
        }
        if (maintenance) {
            builder.config("reconcile", "false");
        }
        return builder;
    }

    /** Starts the server. */
    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start the server.")
    static final class Start implements Callable<Integer> {
        private final PloyerCommand root;
        @CommandLine.Mixin
        DataOptions data = new DataOptions();
        @Option(names = "--port", description = "HTTP port (default $PLOYER_PORT or 8080)")
        Integer port;
        @Option(names = "--host", description = "address to listen on (default $PLOYER_HOST or 127.0.0.1)")
        String host;

        Start(PloyerCommand root) {
            this.root = root;
        }

        @Override
        public Integer call() throws InterruptedException {
            int listenPort = port != null ? port : Integer.parseInt(root.environment.getOrDefault("PLOYER_PORT", "8080"));
            String listenHost = host != null ? host : root.environment.getOrDefault("PLOYER_HOST", "127.0.0.1");
            ServerSettings settings = ServerSettings.fromEnvironment(root.environment); // bad settings stop before anything starts
            MetricsSettings metricsSettings = MetricsSettings.fromEnvironment(root.environment);
            Ployer ployer = root.builder(data, false).build();
            ployer.start();
            PloyerServer server = new PloyerServer(ployer, VERSION, settings, metricsSettings);
            server.start(listenHost, listenPort);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                // SIGTERM: finish in-flight requests, start no new deployment, close the engine cleanly.
                server.close();
                ployer.close();
                stopped.countDown();
            }, "ployer-shutdown"));
            root.out.println("Ployer " + VERSION + " is running on http://" + ("0.0.0.0".equals(listenHost) ? "localhost" : listenHost)
                    + ":" + server.port());
            if (server.metricsPort() > 0) {
                root.out.println("  metrics: http://" + metricsSettings.host() + ":" + server.metricsPort() + "/metrics");
            }
            for (ComponentStatus component : ployer.administration().components()) {
                root.out.println("  " + component.role() + ": " + (component.reachable() ? "found" : "NOT available")
                        + (component.plugin() == null ? "" : " (" + component.plugin() + ")") + " — " + component.detail());
                if (!component.reachable()) {
                    root.out.println("    " + advice(component.role()));
                }
            }
            stopped.await();
            return 0;
        }

        private static String advice(String role) {
            return switch (role) {
                case "runtime" -> "Deployments need Docker: install it (Debian: apt-get install docker.io), start dockerd, "
                        + "or point DOCKER_HOST at a running engine; then restart Ployer.";
                case "proxy" -> "To serve apps by domain through Caddy, install Caddy 2 and set PLOYER_PROXY=caddy "
                        + "(and PLOYER_PROXY_ADMIN_ADDRESS if its admin API is not on http://127.0.0.1:2019).";
                default -> "Check the data directory and the log above.";
            };
        }
    }

    /** Applies database migrations and exits. */
    @Command(name = "migrate", mixinStandardHelpOptions = true, description = "Apply database migrations and exit.")
    static final class Migrate implements Callable<Integer> {
        private final PloyerCommand root;
        @CommandLine.Mixin
        DataOptions data = new DataOptions();

        Migrate(PloyerCommand root) {
            this.root = root;
        }

        @Override
        public Integer call() {
            PloyerBuilder builder = root.builder(data, true);
            if ("sqlite".equals(root.environment.getOrDefault("PLOYER_STORAGE", "sqlite"))) {
                // Run Flyway even when the schema looks current, so changed migrations are reported.
                builder.config("storage.validate-migrations", "true");
            }
            try (Ployer ployer = builder.build()) {
                ployer.start();
            }
            root.out.println("database is up to date");
            return 0;
        }
    }

    /** Sets a user's password. */
    @Command(name = "reset-password", mixinStandardHelpOptions = true,
            description = "Set a user's password. Without a value for --password it is read from the terminal or standard input "
                    + "(a value on the command line is visible to other users of this machine).")
    static final class ResetPassword implements Callable<Integer> {
        private final PloyerCommand root;
        @CommandLine.Mixin
        DataOptions data = new DataOptions();
        @Option(names = "--email", required = true, description = "the user's e-mail")
        String email;
        @Option(names = "--password", arity = "0..1", interactive = true, description = "the new password (prompted when no value is given)")
        char[] password;

        ResetPassword(PloyerCommand root) {
            this.root = root;
        }

        @Override
        public Integer call() throws IOException {
            String newPassword = password != null && password.length > 0 ? new String(password) : readStandardInput();
            try (Ployer ployer = root.builder(data, true).build()) {
                ployer.start();
                ployer.accounts().resetPassword(email, newPassword);
            }
            root.out.println("password of " + email + " changed");
            return 0;
        }

        private static String readStandardInput() throws IOException {
            BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line = reader.readLine();
            return line == null ? "" : line;
        }
    }

    /** Writes one backup archive: database snapshot, key file, manifest. */
    @Command(name = "backup", mixinStandardHelpOptions = true, description = "Write one backup archive (zip) to FILE: a "
            + "consistent snapshot of the database (taken while the server runs), the key file, and a manifest with "
            + "checksums. With PLOYER_SECRET the key is not in the archive: keep PLOYER_SECRET with it.")
    static final class Backup implements Callable<Integer> {
        private final PloyerCommand root;
        @CommandLine.Mixin
        DataOptions data = new DataOptions();
        @Parameters(index = "0", paramLabel = "FILE", description = "target file (must not exist)")
        Path target;

        Backup(PloyerCommand root) {
            this.root = root;
        }

        @Override
        public Integer call() {
            try (Ployer ployer = root.builder(data, true).build()) {
                ployer.start();
                ployer.administration().backupArchive(target);
            }
            boolean external = !root.environment.getOrDefault("PLOYER_SECRET", "").isBlank();
            root.out.println("backup written to " + target + (external
                    ? " (the keys come from PLOYER_SECRET and are not in it: keep PLOYER_SECRET with the archive)"
                    : " (it holds the key file: keep it as safe as the key itself)"));
            return 0;
        }
    }

    /** Restores a backup archive into a data directory. */
    @Command(name = "restore", mixinStandardHelpOptions = true, description = "Restore a backup archive made by "
            + "'ployer backup' into the data directory, after checking its checksums and that the key opens its database. "
            + "A data directory that is not empty is refused without --force. On any failure nothing is written.")
    static final class Restore implements Callable<Integer> {
        private final PloyerCommand root;
        @CommandLine.Mixin
        DataOptions data = new DataOptions();
        @Parameters(index = "0", paramLabel = "ARCHIVE", description = "the backup archive")
        Path archive;
        @Option(names = "--force", description = "replace the database and key file of a data directory that is not empty")
        boolean force;

        Restore(PloyerCommand root) {
            this.root = root;
        }

        @Override
        public Integer call() {
            Path target = data.dataDirectory != null ? data.dataDirectory
                    : Path.of(root.environment.getOrDefault("PLOYER_DATA_DIR", "data"));
            boolean keysConfigured = !root.environment.getOrDefault("PLOYER_SECRET", "").isBlank();
            ServerSeam.RestoredBackup manifest = ServerSeam.restoreBackup(archive, target, force, keysConfigured, staged -> {
                DataOptions stagedData = new DataOptions();
                stagedData.dataDirectory = staged;
                // Opened the way a start opens it: a key that cannot read the database stops here.
                try (Ployer ployer = root.builder(stagedData, true).build()) {
                    ployer.start();
                }
            });
            root.out.println("restored the backup of " + manifest.createdAt() + " (Ployer " + manifest.ployerVersion()
                    + ") into " + target.toAbsolutePath().normalize()
                    + (manifest.keyInArchive() ? "" : "; it opens with the key in PLOYER_SECRET, keep setting it"));
            return 0;
        }
    }

    /** Rotates the key stored secrets are encrypted with. */
    @Command(name = "rotate-key", mixinStandardHelpOptions = true, description = "Rotate the secret key, with the server "
            + "stopped: a new random key replaces the one in the data directory's key file after every stored secret "
            + "(env values, database and registry credentials, tokens, keys) is re-encrypted under it; the old key "
            + "opens nothing afterwards. With PLOYER_SECRET, put the new key first there (new-id:base64,old-id:base64): "
            + "every secret is re-encrypted under it, then remove the old one.")
    static final class RotateKey implements Callable<Integer> {
        private final PloyerCommand root;
        @CommandLine.Mixin
        DataOptions data = new DataOptions();

        RotateKey(PloyerCommand root) {
            this.root = root;
        }

        @Override
        public Integer call() {
            Path target = data.dataDirectory != null ? data.dataDirectory
                    : Path.of(root.environment.getOrDefault("PLOYER_DATA_DIR", "data"));
            ServerSeam.KeyRotation rotation = ServerSeam.rotateKey(target, root.environment.get("PLOYER_SECRET"), () -> {
                Ployer ployer = root.builder(data, true).build();
                ployer.start();
                return ployer;
            });
            root.out.println("re-encrypted " + rotation.reencrypted() + " stored secrets under the key '" + rotation.primaryKeyId() + "'");
            if (rotation.keyFile()) {
                root.out.println("the key file now holds that key alone; retired: " + String.join(", ", rotation.retiredKeyIds())
                        + " (backup archives written before hold the old key: run 'ployer backup' for one with the new key)");
            } else {
                root.out.println("remove the retired keys from PLOYER_SECRET: " + String.join(", ", rotation.retiredKeyIds()));
            }
            return 0;
        }
    }
}
