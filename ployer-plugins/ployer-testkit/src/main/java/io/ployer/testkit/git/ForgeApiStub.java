package io.ployer.testkit.git;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A forge's API on 127.0.0.1 for commit status tests: it records every request (method, path,
 * headers, body) and answers {@code 201} (or the status set with {@link #answer}), so a test can
 * assert the exact request format the forge documents.
 */
public final class ForgeApiStub implements AutoCloseable {
    /** A request the stub received. Header names are lower-case. */
    public record Received(String method, String path, Map<String, String> headers, String body) {
    }

    private final HttpServer server;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private volatile int status = 201;

    public ForgeApiStub() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), headers, body));
            byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    /** The stub's base URL, {@code http://127.0.0.1:<port>} plus {@code prefix} (such as {@code /api/v4}). */
    public String url(String prefix) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + prefix;
    }

    /** Answers every later request with {@code httpStatus}. */
    public void answer(int httpStatus) {
        this.status = httpStatus;
    }

    /** The next request received, waiting at most a minute for it; fails the test when none came. */
    public Received take() {
        try {
            Received next = received.poll(60, TimeUnit.SECONDS);
            if (next == null) {
                throw new AssertionError("the forge stub received no request");
            }
            return next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a request to the forge stub", e);
        }
    }

    /** The requests received and not yet taken. */
    public List<Received> pending() {
        return List.copyOf(received);
    }

    /** Sends {@code request} (built by a provider) with a JDK client and answers the status code. */
    public static int send(HttpRequest request) {
        try {
            return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
