package io.ployer.api.container;

import java.util.Objects;

/**
 * Where something answers.
 *
 * @param host host name or address (loopback for published container ports)
 * @param port TCP port
 */
public record Endpoint(String host, int port) {
    public Endpoint {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be within 1..65535: " + port);
        }
    }

    /** {@code host:port}. */
    public String address() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }

    /** Parses {@code host:port}. */
    public static Endpoint parse(String address) {
        int colon = address.lastIndexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("not host:port: " + address);
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new Endpoint(host, Integer.parseInt(address.substring(colon + 1)));
    }
}
