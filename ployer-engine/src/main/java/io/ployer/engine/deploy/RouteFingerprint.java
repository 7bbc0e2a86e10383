package io.ployer.engine.deploy;

import io.ployer.spi.proxy.Route;
import io.ployer.api.container.Endpoint;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.TreeSet;

/** Compares route sets: what the reconciler wants against what the proxy has. */
final class RouteFingerprint {
    private RouteFingerprint() {
    }

    /** A fingerprint of routes: application, hosts and upstreams, order-independent. */
    static String of(Collection<Route> routes) {
        TreeSet<String> keys = new TreeSet<>();
        routes.forEach(route -> keys.add(key(route)));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(String.join("\n", keys).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One route as a comparable line. */
    static String key(Route route) {
        return route.applicationId() + " " + new TreeSet<>(route.hosts()) + " "
                + new TreeSet<>(route.upstreams().stream().map(Endpoint::address).toList());
    }
}
