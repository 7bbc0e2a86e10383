package io.ployer.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A minimal HTTP/1.1 client that sends any {@code Host} header (and TLS server name) to a loopback port,
 * one connection per request. The JDK's {@link java.net.http.HttpClient} refuses to set {@code Host}
 * unless the JVM runs with {@code -Djdk.httpclient.allowRestrictedHeaders=host}; the kits use this
 * instead, so a plugin's test JVM needs no flag.
 */
public final class HostHttp {
    private static final int TIMEOUT_MILLIS = 30_000;

    private HostHttp() {
    }

    /** An answer: status, headers (lower-case names), body as UTF-8. */
    public record Response(int status, Map<String, String> headers, String body) {
    }

    /** GET {@code path} over plain HTTP from {@code 127.0.0.1:port} with the given {@code Host}. */
    public static Response get(int port, String host, String path) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            return exchange(socket, host, path);
        } catch (IOException e) {
            throw new UncheckedIOException("GET http://" + host + path + " through 127.0.0.1:" + port + " failed", e);
        }
    }

    /**
     * GET {@code path} over TLS from {@code 127.0.0.1:port}, asking for {@code host}'s certificate (SNI);
     * any certificate is accepted (the kits check that TLS is served, not who signed it).
     */
    public static Response getTls(int port, String host, String path) {
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
            try (Socket plain = new Socket()) {
                plain.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
                try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true)) {
                    SSLParameters parameters = socket.getSSLParameters();
                    parameters.setServerNames(List.of(new SNIHostName(host)));
                    socket.setSSLParameters(parameters);
                    socket.startHandshake();
                    return exchange(socket, host, path);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("GET https://" + host + path + " through 127.0.0.1:" + port + " failed", e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Response exchange(Socket socket, String host, String path) throws IOException {
        socket.setSoTimeout(TIMEOUT_MILLIS);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\nUser-Agent: ployer-testkit\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        byte[] all = readAll(socket.getInputStream());
        int end = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (end < 0) {
            throw new IOException("the answer has no complete header (" + all.length + " bytes)");
        }
        String[] lines = new String(all, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP answer: " + lines[0]);
        }
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(all, end + 4, all.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        } else if (headers.containsKey("content-length")) {
            int length = Integer.parseInt(headers.get("content-length"));
            if (body.length < length) {
                throw new IOException("the body ended after " + body.length + " of " + length + " bytes");
            }
            body = java.util.Arrays.copyOf(body, length);
        }
        return new Response(Integer.parseInt(statusLine[1]), Map.copyOf(headers), new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return all.toByteArray();
    }

    private static byte[] dechunk(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (true) {
            int lineEnd = indexOf(java.util.Arrays.copyOfRange(body, at, body.length), "\r\n".getBytes(StandardCharsets.ISO_8859_1));
            if (lineEnd < 0) {
                throw new IOException("a chunked body ended early");
            }
            String sizeText = new String(body, at, lineEnd, StandardCharsets.ISO_8859_1).split(";")[0].strip();
            int size = Integer.parseInt(sizeText, 16);
            at += lineEnd + 2;
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(body, at, size);
            at += size + 2;
        }
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // a test client: every certificate is accepted
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // a test client: every certificate is accepted
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
