package io.ployer.bench;

import io.undertow.Undertow;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The baseline of the mix benchmark: bare Undertow answering each GET target with the bytes Ployer
 * answered it with (captured before the run), and every write with {@code {}}. Arguments: port,
 * capture file (lines of target, tab, base64 body).
 */
public final class MixBareServer {
    private MixBareServer() {
    }

    public static void main(String[] arguments) throws Exception {
        int port = Integer.parseInt(arguments[0]);
        Map<String, byte[]> bodies = new HashMap<>();
        for (String line : Files.readAllLines(Path.of(arguments[1]))) {
            int tab = line.indexOf('\t');
            bodies.put(line.substring(0, tab), Base64.getDecoder().decode(line.substring(tab + 1)));
        }
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        Undertow.builder().addHttpListener(port, "127.0.0.1").setHandler(exchange -> {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            if (!exchange.getRequestMethod().equals(Methods.GET)) {
                exchange.getRequestReceiver().receiveFullBytes((done, ignored) -> done.getResponseSender().send(ByteBuffer.wrap(empty)));
                return;
            }
            String query = exchange.getQueryString();
            byte[] body = bodies.get(query.isEmpty() ? exchange.getRequestPath() : exchange.getRequestPath() + "?" + query);
            if (body == null) {
                exchange.setStatusCode(404);
                body = empty;
            }
            exchange.getResponseSender().send(ByteBuffer.wrap(body));
        }).build().start();
        System.out.println("READY");
        System.out.flush();
        Thread.currentThread().join();
    }
}
