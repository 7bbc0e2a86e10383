package io.ployer.bench;

import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The baseline: a bare Undertow handler answering fixed bytes. Arguments: port, body file. */
public final class BareUndertowServer {
    private BareUndertowServer() {
    }

    public static void main(String[] arguments) throws Exception {
        int port = Integer.parseInt(arguments[0]);
        byte[] body = arguments.length > 1 ? Files.readAllBytes(Path.of(arguments[1])) : "hello".getBytes(StandardCharsets.UTF_8);
        Undertow.builder().addHttpListener(port, "127.0.0.1").setHandler(exchange -> {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            exchange.getResponseSender().send(ByteBuffer.wrap(body));
        }).build().start();
        System.out.println("READY");
        System.out.flush();
        Thread.currentThread().join();
    }
}
