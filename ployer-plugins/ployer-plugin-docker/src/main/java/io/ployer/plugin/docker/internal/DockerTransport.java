package io.ployer.plugin.docker.internal;

import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.NamedPipeSocket;
import com.github.dockerjava.transport.UnixSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.io.DetachedSocketFactory;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * docker-java's transport for Docker's HTTP API, on httpclient5: unix sockets, Windows named pipes,
 * and tcp (https when a TLS context is given).
 *
 * <p>It is Ployer's own rather than docker-java's httpclient5 transport for one reason: that one
 * builds its client with cookie handling on, and httpclient5 then reads the public-suffix list
 * (about 1.5 MB of heap for the server's whole life) and, without a TLS configuration, initialises
 * the JVM's TLS context — for a daemon that sets no cookies and, on a socket, speaks no TLS. Timeouts
 * are as there: the connect timeout, and the response timeout for waiting on an answer.
 * Hijacked requests (attaching to a container's stdin) are refused: Ployer never attaches.
 */
final class DockerTransport implements DockerHttpClient {
    /** Docker's event stream, with or without the API version prefix docker-java puts in front. */
    private static final java.util.regex.Pattern EVENTS = java.util.regex.Pattern.compile("^(?:/v[0-9.]+)?/events(?:\\?|$)");
    private final CloseableHttpClient http;
    private final HttpHost host;
    private final String pathPrefix;

    /**
     * @param dockerHost      {@code unix:///var/run/docker.sock}, {@code npipe:////./pipe/docker_engine} or {@code tcp://host:port}
     * @param tls             TLS context for a tcp host, or {@code null} for plain http
     * @param maxConnections  connections kept open at most
     * @param connectTimeout  how long opening a connection may take
     * @param responseTimeout how long a read may wait for data
     */
    DockerTransport(URI dockerHost, SSLContext tls, int maxConnections, Duration connectTimeout, Duration responseTimeout) {
        String scheme = dockerHost.getScheme();
        DetachedSocketFactory sockets;
        switch (scheme) {
            case "unix" -> {
                String socketPath = dockerHost.getPath();
                sockets = proxy -> UnixSocket.get(socketPath);
                host = new HttpHost("http", "localhost", 2375);
                pathPrefix = "";
            }
            case "npipe" -> {
                String pipePath = dockerHost.getPath();
                sockets = proxy -> new NamedPipeSocket(pipePath);
                host = new HttpHost("http", "localhost", 2375);
                pathPrefix = "";
            }
            case "tcp" -> {
                sockets = proxy -> proxy == null ? new java.net.Socket() : new java.net.Socket(proxy);
                host = new HttpHost(tls == null ? "http" : "https", dockerHost.getHost(), dockerHost.getPort());
                String path = dockerHost.getRawPath() == null ? "" : dockerHost.getRawPath();
                pathPrefix = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
            }
            default -> throw new IllegalArgumentException("unsupported Docker host scheme: " + scheme
                    + " (expected unix, npipe or tcp)");
        }
        // TLS only where it is spoken: the lookup is asked for a strategy by the host's scheme.
        TlsSocketStrategy tlsStrategy = tls == null ? null : new DefaultClientTlsStrategy(tls);
        var operator = new DefaultHttpClientConnectionOperator(sockets, null, null,
                name -> "https".equals(name) ? tlsStrategy : null);
        var connections = new PoolingHttpClientConnectionManager(operator, PoolConcurrencyPolicy.STRICT, PoolReusePolicy.LIFO,
                TimeValue.NEG_ONE_MILLISECOND, ManagedHttpClientConnectionFactory.INSTANCE);
        connections.setMaxTotal(maxConnections);
        connections.setDefaultMaxPerRoute(maxConnections);
        // As docker-java's own transports: no socket read timeout (a followed log may be quiet for
        // hours; the response timeout bounds waiting for an answer) and no staleness probe of idle
        // pooled connections (a probe reads with a timeout a domain socket does not honour).
        connections.setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(Timeout.ZERO_MILLISECONDS).build());
        connections.setDefaultConnectionConfig(ConnectionConfig.custom()
                .setValidateAfterInactivity(TimeValue.NEG_ONE_SECOND)
                .setConnectTimeout(Timeout.of(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)).build());
        this.http = HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.of(responseTimeout.toMillis(), TimeUnit.MILLISECONDS)).build())
                .disableCookieManagement()
                // Without a registry of its own the builder makes the default one, public-suffix list and all.
                .setDefaultCookieSpecRegistry(name -> null)
                .disableAuthCaching()
                .disableConnectionState()
                .build();
    }

    @Override
    public Response execute(Request request) {
        if (request.hijackedInput() != null) {
            throw new UnsupportedOperationException("attaching to a container's input is not supported by Ployer's Docker transport");
        }
        HttpUriRequestBase message = new HttpUriRequestBase(request.method(), URI.create(pathPrefix + request.path()));
        request.headers().forEach(message::addHeader);
        if (EVENTS.matcher(request.path()).find()) {
            // An event stream may be quiet for hours: no response timeout (it ends when dockerd goes away).
            message.setConfig(RequestConfig.custom().setResponseTimeout(Timeout.DISABLED).build());
        }

        byte[] bytes = request.bodyBytes();
        if (bytes != null) {
            message.setEntity(new ByteArrayEntity(bytes, null));
        } else {
            InputStream body = request.body();
            if (body != null) {
                message.setEntity(new InputStreamEntity(body, null));
            }
        }
        try {
            return new Answer(message, http.executeOpen(host, message, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        http.close();
    }

    /** A response whose body streams from the open connection until it is closed. */
    private static final class Answer implements Response {
        private final HttpUriRequestBase request;
        private final ClassicHttpResponse response;

        Answer(HttpUriRequestBase request, ClassicHttpResponse response) {
            this.request = request;
            this.response = response;
        }

        @Override
        public int getStatusCode() {
            return response.getCode();
        }

        @Override
        public Map<String, List<String>> getHeaders() {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (Header header : response.getHeaders()) {
                headers.computeIfAbsent(header.getName(), name -> new java.util.ArrayList<>()).add(header.getValue());
            }
            return headers;
        }

        @Override
        public String getHeader(String name) {
            Header header = response.getFirstHeader(name);
            return header == null ? null : header.getValue();
        }

        @Override
        public InputStream getBody() {
            HttpEntity entity = response.getEntity();
            try {
                return entity == null ? InputStream.nullInputStream() : entity.getContent();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * Aborts first: closing alone would read an endless stream (stats, followed logs) to its end
         * to reuse the connection. A body read to its end has already given the connection back.
         */
        @Override
        public void close() {
            request.abort();
            try {
                response.close();
            } catch (IOException e) {
                // The connection is discarded either way.
            }
        }
    }
}
