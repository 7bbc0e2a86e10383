package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.server.ServerFixture.Answer;
import io.ployer.testkit.Environment;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data directory on a small tmpfs, filled up while the server runs: writes answer 507 with a
 * message that says the disk is full and what to do, nothing acknowledged is lost, nothing refused
 * is half-written, reads keep working, and writes work again once space is freed (no restart).
 */
class DiskFullIT {
    @TempDir
    Path temporary;

    @Test
    void aFullDiskAnswers507AndRecoversOnceSpaceIsFreed() throws Exception {
        Path mount = temporary.resolve("small-disk");
        Files.createDirectories(mount);
        mountTmpfs(mount, "6m");
        try {
            Path data = mount.resolve("data");
            List<String> acknowledged = new ArrayList<>();
            List<String> refused = new ArrayList<>();
            Path filler = mount.resolve("filler");
            try (ServerFixture server = new ServerFixture(data, Clock.systemUTC(), Map.of("reconcile", "false"))) {
                String token = server.login("disk@example.com", "correct horse battery");
                assertThat(create(server, token, "before-full").status()).isEqualTo(201);
                acknowledged.add("before-full");

                fill(filler);
                Answer full = null;
                for (int i = 0; i < 500 && full == null; i++) {
                    String name = "while-full-" + i;
                    Answer answer = create(server, token, name);
                    if (answer.status() == 201) {
                        acknowledged.add(name); // the WAL still had room for this one
                    } else {
                        assertThat(answer.status()).as(answer.body()).isEqualTo(507);
                        refused.add(name);
                        full = answer;
                    }
                }
                assertThat(full).as("a write failed once the disk was full").isNotNull();
                assertThat(full.errorCode()).isEqualTo("STORAGE_FULL");
                String message = full.json().path("error").path("message").asText();
                assertThat(message).contains("disk").contains("full").contains("free space").doesNotContain("SQLite error")
                        .doesNotContainPattern("[A-Za-z]+Exception");
                Answer again = create(server, token, "still-full");
                assertThat(again.status()).isEqualTo(507);
                refused.add("still-full");

                // The server stays up and reads still work.
                assertThat(server.get("/health", null).status()).isEqualTo(200);
                assertThat(server.get("/applications", token).status()).isEqualTo(200);

                Files.delete(filler);
                assertThat(create(server, token, "after-free").status()).as("writes work again once space is freed").isEqualTo(201);
                acknowledged.add("after-free");
                assertThat(names(server, token)).containsAll(acknowledged).doesNotContainAnyElementsOf(refused);
            }
            // Nothing acknowledged was lost: it is all there after a restart too.
            try (ServerFixture server = new ServerFixture(data, Clock.systemUTC(), Map.of("reconcile", "false"))) {
                String token = server.login("disk@example.com", "correct horse battery");
                assertThat(names(server, token)).containsAll(acknowledged).doesNotContainAnyElementsOf(refused);
            }
        } finally {
            run("umount", "-l", mount.toString());
        }
    }

    private static Answer create(ServerFixture server, String token, String name) {
        return server.post("/applications", token, "{\"name\":\"" + name + "\",\"git_url\":\"https://git.example.com/" + name + ".git\"}");
    }

    private static List<String> names(ServerFixture server, String token) {
        Answer list = server.get("/applications", token);
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        var items = list.json().isArray() ? list.json() : list.json().path("items");
        items.forEach(item -> names.add(item.path("name").asText()));
        return names;
    }

    /** Writes until the file system says it is full. */
    private static void fill(Path filler) {
        byte[] block = new byte[16 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // No space left on device: what we wanted.
        }
    }

    private static void mountTmpfs(Path mount, String size) throws Exception {
        int status = run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", mount.toString());
        if (status != 0) {
            String reason = "cannot mount a tmpfs (needs root): the disk-full test needs one";
            if ("true".equals(System.getenv(Environment.REQUIRE_VARIABLE))) {
                Assertions.fail(reason);
            }
            Assumptions.abort(reason);
        }
    }

    private static int run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }
}
