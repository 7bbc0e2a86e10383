package io.ployer.server.http;

import io.undertow.UndertowOptions;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpOpenListener;
import io.undertow.util.HeaderValues;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;
import org.xnio.conduits.AbstractStreamSinkConduit;
import org.xnio.conduits.StreamSinkConduit;

/**
 * The HTTP listener, set up as {@code Undertow.builder()} would (same worker, socket and buffer
 * settings) with one addition: a request Undertow's parser refuses before any handler runs (a
 * {@code %} not followed by two hex digits, a control character in a header) gets the API's JSON
 * 400 with the security headers instead of Undertow's fixed empty 400.
 */
public final class ApiListener implements AutoCloseable {
    /** What Undertow writes, byte for byte, when it cannot parse a request (HttpReadListener). */
    static final String UNDERTOW_BAD_REQUEST = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    /** What this server writes instead (ASCII). */
    static final String BAD_REQUEST = badRequest();

    private final XnioWorker worker;
    private final AcceptingChannel<StreamConnection> server;
    private final DefaultByteBufferPool buffers;

    private ApiListener(XnioWorker worker, AcceptingChannel<StreamConnection> server, DefaultByteBufferPool buffers) {
        this.worker = worker;
        this.server = server;
        this.buffers = buffers;
    }

    public static ApiListener start(String host, int port, int workerThreads, OptionMap serverOptions, HttpHandler root) {
        int ioThreads = Math.max(Runtime.getRuntime().availableProcessors(), 2);
        long maxMemory = Runtime.getRuntime().maxMemory();
        int bufferSize = maxMemory < 64 * 1024 * 1024 ? 512 : maxMemory < 128 * 1024 * 1024 ? 1024 : 1024 * 16 - 20;
        boolean directBuffers = maxMemory >= 128 * 1024 * 1024;
        try {
            XnioWorker worker = Xnio.getInstance(io.undertow.Undertow.class.getClassLoader()).createWorker(OptionMap.builder()
                    .set(Options.WORKER_IO_THREADS, ioThreads)
                    .set(Options.CONNECTION_HIGH_WATER, 1_000_000)
                    .set(Options.CONNECTION_LOW_WATER, 1_000_000)
                    .set(Options.WORKER_TASK_CORE_THREADS, workerThreads)
                    .set(Options.WORKER_TASK_MAX_THREADS, workerThreads)
                    .set(Options.TCP_NODELAY, true)
                    .set(Options.CORK, true)
                    .getMap());
            OptionMap socketOptions = OptionMap.builder()
                    .set(Options.WORKER_IO_THREADS, ioThreads)
                    .set(Options.TCP_NODELAY, true)
                    .set(Options.REUSE_ADDRESSES, true)
                    .set(Options.BALANCING_TOKENS, 1)
                    .set(Options.BALANCING_CONNECTIONS, 2)
                    .set(Options.BACKLOG, 1000)
                    .getMap();
            OptionMap undertowOptions = OptionMap.builder().set(UndertowOptions.NO_REQUEST_TIMEOUT, 60 * 1000)
                    .addAll(serverOptions).getMap();
            DefaultByteBufferPool buffers = new DefaultByteBufferPool(directBuffers, bufferSize, -1, 4);
            HttpOpenListener http = new HttpOpenListener(buffers, undertowOptions);
            http.setRootHandler(root);
            ChannelListener<StreamConnection> open = connection -> {
                var sink = connection.getSinkChannel();
                sink.setConduit(new BadRequestConduit(sink.getConduit()));
                http.handleEvent(connection);
            };
            AcceptingChannel<StreamConnection> server = worker.createStreamConnectionServer(
                    new InetSocketAddress(InetAddress.getByName(host), port), ChannelListeners.openListenerAdapter(open), socketOptions);
            server.resumeAccepts();
            return new ApiListener(worker, server, buffers);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return ((InetSocketAddress) server.getLocalAddress()).getPort();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        worker.shutdown();
        try {
            worker.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        buffers.close();
    }

    private static String badRequest() {
        byte[] body = JsonErrors.body("INVALID_ARGUMENT", "the request could not be read: its URL or a header is malformed "
                + "(a '%' must be followed by two hex digits; headers hold no control characters)", "request")
                .getBytes(StandardCharsets.UTF_8);
        HttpServerExchange headers = new HttpServerExchange(null);
        HttpPipeline.securityHeaders(headers);
        StringBuilder head = new StringBuilder("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ")
                .append(body.length).append("\r\nConnection: close\r\n");
        for (HeaderValues values : headers.getResponseHeaders()) {
            for (String value : values) {
                head.append(values.getHeaderName()).append(": ").append(value).append("\r\n");
            }
        }
        return head.append("\r\n").append(new String(body, StandardCharsets.US_ASCII)).toString();
    }

    /** Swaps Undertow's empty parse-failure 400 for {@link #BAD_REQUEST}; passes everything else through. */
    static final class BadRequestConduit extends AbstractStreamSinkConduit<StreamSinkConduit> {
        private ByteBuffer pending;

        BadRequestConduit(StreamSinkConduit next) {
            super(next);
        }

        @Override
        public int write(ByteBuffer source) throws IOException {
            if (pending == null && isUndertowBadRequest(source)) {
                int length = source.remaining();
                source.position(source.limit());
                pending = ByteBuffer.wrap(BAD_REQUEST.getBytes(StandardCharsets.US_ASCII));
                writePending();
                return length;
            }
            if (pending != null && !writePending()) {
                return 0;
            }
            return next.write(source);
        }

        @Override
        public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
            if (pending != null && !writePending()) {
                return 0;
            }
            return next.write(sources, offset, length);
        }

        @Override
        public int writeFinal(ByteBuffer source) throws IOException {
            if (pending == null && isUndertowBadRequest(source)) {
                int length = write(source);
                terminateWrites();
                return length;
            }
            if (pending != null && !writePending()) {
                return 0;
            }
            return next.writeFinal(source);
        }

        @Override
        public long writeFinal(ByteBuffer[] sources, int offset, int length) throws IOException {
            if (pending != null && !writePending()) {
                return 0;
            }
            return next.writeFinal(sources, offset, length);
        }

        @Override
        public boolean flush() throws IOException {
            return writePending() && next.flush();
        }

        @Override
        public void terminateWrites() throws IOException {
            writePending();
            next.terminateWrites();
        }

        private boolean writePending() throws IOException {
            while (pending != null && pending.hasRemaining()) {
                if (next.write(pending) == 0) {
                    return false;
                }
            }
            pending = null;
            return true;
        }

        private static boolean isUndertowBadRequest(ByteBuffer source) {
            if (source.remaining() != UNDERTOW_BAD_REQUEST.length()) {
                return false;
            }
            for (int i = 0; i < UNDERTOW_BAD_REQUEST.length(); i++) {
                if (source.get(source.position() + i) != (byte) UNDERTOW_BAD_REQUEST.charAt(i)) {
                    return false;
                }
            }
            return true;
        }
    }
}
