package io.ployer.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Child JVMs on the production flags with the environment given (the rate limit left at its default unless set). */
final class ServerBenchmarkSupport {
    private ServerBenchmarkSupport() {
    }

    static Process start(Map<String, String> environment, List<String> mainAndArguments, int port, String readyPath) throws Exception {
        return start(List.of(), environment, mainAndArguments, port, readyPath);
    }

    /** As above with extra JVM flags; Ployer also gets BENCH_PLOYER_FLAGS (to compare alternatives). */
    static Process start(List<String> extraFlags, Map<String, String> environment, List<String> mainAndArguments, int port,
                         String readyPath) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ServerBenchmark.JVM_FLAGS);
        command.addAll(extraFlags);
        String ployerOnly = System.getenv("BENCH_PLOYER_FLAGS");
        if (ployerOnly != null && mainAndArguments.get(0).equals("io.ployer.server.Main")) {
            command.addAll(List.of(ployerOnly.trim().split("\\s+")));
        }
        command.add("-cp");
        boolean ployer = mainAndArguments.get(0).equals("io.ployer.server.Main");
        command.add(ployer ? System.getProperty("bench.ployer.classpath", System.getProperty("java.class.path"))
                : System.getProperty("java.class.path"));
        command.addAll(mainAndArguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        builder.environment().put("LOG_LEVEL", "WARN");
        builder.environment().putAll(environment);
        Process process = builder.start();
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + readyPath)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return process;
                }
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("server did not start: " + mainAndArguments);
    }

    /** Registers the benchmark's admin and logs in; returns the bearer token. */
    static String login(HttpClient client, int port) throws Exception {
        String base = "http://127.0.0.1:" + port + "/api/v1";
        String credentials = "{\"email\":\"bench@example.com\",\"password\":\"bench-password\"}";
        client.send(post(base + "/auth/register", credentials), HttpResponse.BodyHandlers.discarding());
        String login = client.send(post(base + "/auth/login", credentials), HttpResponse.BodyHandlers.ofString()).body();
        return login.replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
    }

    private static HttpRequest post(String uri, String body) {
        return HttpRequest.newBuilder(URI.create(uri)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
