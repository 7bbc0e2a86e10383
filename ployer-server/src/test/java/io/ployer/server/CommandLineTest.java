package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.Ployer;
import io.ployer.server.cli.PloyerCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {
    @TempDir
    Path data;
    @TempDir
    Path other;

    private record Run(int code, String out, String err) {
    }

    private Run run(String... arguments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PloyerCommand.run(Map.of("PLOYER_DATA_DIR", data.toString()), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), arguments);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"start", "migrate", "reset-password", "backup", "restore", "rotate-key"}) {
            Run help = run(command, "--help");
            assertThat(help.code()).as(command).isZero();
            assertThat(help.out()).as(command).contains("Usage: ployer " + command);
        }
        assertThat(run("--help").out()).contains("start").contains("migrate").contains("reset-password").contains("backup");
    }

    @Test
    void migrateCreatesTheDatabase() {
        assertThat(run("migrate").code()).isZero();
        assertThat(data.resolve("ployer.db")).exists();
    }

    @Test
    void migrateValidatesWhatWasAppliedWhileAStartDoesNotRunFlyway() throws Exception {
        assertThat(run("migrate").code()).isZero();
        // An applied migration whose recorded checksum no longer matches the bundled file.
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + data.resolve("ployer.db"))) {
            connection.createStatement().executeUpdate("UPDATE flyway_schema_history SET checksum = 12345 WHERE version = '1'");
        }
        try (Ployer ployer = Ployer.builder().dataDirectory(data).config("reconcile", "false").build()) {
            ployer.start(); // the schema is the bundled one: a start does not run (or load) Flyway
        }
        Run migrate = run("migrate");
        assertThat(migrate.code()).isNotZero();
        assertThat(migrate.err()).containsIgnoringCase("checksum");
    }

    @Test
    void resetPasswordLetsTheUserLogInWithTheNewPassword() {
        String oldToken;
        try (Ployer ployer = Ployer.builder().dataDirectory(data).build()) {
            ployer.start();
            ployer.accounts().register("ada@example.com", "old-password");
            oldToken = ployer.accounts().login("ada@example.com", "old-password", null).token();
        }
        Run reset = run("reset-password", "--email", "ada@example.com", "--password=new-password");
        assertThat(reset.code()).as(reset.err()).isZero();
        try (Ployer ployer = Ployer.builder().dataDirectory(data).build()) {
            ployer.start();
            assertThat(ployer.accounts().login("ada@example.com", "new-password", null).token()).isNotBlank();
            assertThat(ployer.accounts().authenticate(oldToken)).as("sessions are revoked by a reset").isEmpty();
        }
    }

    @Test
    void backupWritesAnArchiveAndRefusesToOverwrite() throws Exception {
        assertThat(run("migrate").code()).isZero();
        Path target = data.resolve("backup.zip");
        Run backup = run("backup", target.toString());
        assertThat(backup.code()).isZero();
        assertThat(backup.out()).contains("backup written to " + target);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(target)))
                .isEqualTo("rw-------");
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(target.toFile())) {
            assertThat(zip.stream().map(java.util.zip.ZipEntry::getName)).containsExactlyInAnyOrder("manifest.json", "ployer.db", "secret.key");
        }
        Run again = run("backup", target.toString());
        assertThat(again.code()).isNotZero();
        assertThat(again.err()).contains("must not exist");
    }

    @Test
    void backupBesideARunningEngineThenRestoreIntoANewDirectoryKeepsAppsAndSecrets() {
        Path archive = other.resolve("backup.zip");
        Path restored = other.resolve("restored");
        try (Ployer running = Ployer.builder().dataDirectory(data).build()) {
            running.start();
            var application = running.applications().create(io.ployer.api.application.ApplicationSpec.named("kept")
                    .withGit("https://git.example.com/team/kept.git", "main"));
            running.applications().setEnvVar(application.id(), "API_TOKEN", "restored-secret-value", false);
            assertThat(run("backup", archive.toString()).code()).isZero();
        }
        Run restore = run("restore", archive.toString(), "--data-dir", restored.toString());
        assertThat(restore.code()).as(restore.err()).isZero();
        assertThat(restore.out()).contains("restored the backup");
        try (Ployer ployer = Ployer.builder().dataDirectory(restored).config("reconcile", "false").build()) {
            ployer.start();
            var application = ployer.applications().list().get(0);
            assertThat(ployer.applications().revealEnvVars(application.id())).extracting(envVar -> envVar.value())
                    .containsExactly("restored-secret-value");
        }
        Run occupied = run("restore", archive.toString(), "--data-dir", restored.toString());
        assertThat(occupied.code()).isEqualTo(2);
        assertThat(occupied.err()).contains("is not empty").contains("--force").doesNotContain("Exception");
        assertThat(run("restore", archive.toString(), "--data-dir", restored.toString(), "--force").code()).isZero();
        Run notABackup = run("restore", data.resolve("ployer.db").toString(), "--data-dir", other.resolve("elsewhere").toString());
        assertThat(notABackup.code()).isEqualTo(2);
        assertThat(notABackup.err()).startsWith("ployer: The file ").contains("is not a usable Ployer backup");
        assertThat(other.resolve("elsewhere")).doesNotExist();
    }
}
