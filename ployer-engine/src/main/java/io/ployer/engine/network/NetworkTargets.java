package io.ployer.engine.network;

import io.ployer.api.PloyerException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where Ployer may connect on a user's say-so (a repository's host, a server's host), against
 * server-side request forgery. Link-local addresses (169.254.0.0/16, fe80::/10: cloud metadata
 * services live at 169.254.169.254), the other cloud metadata addresses, unspecified and multicast
 * addresses are refused always. Loopback, private (RFC 1918, fc00::/7) and shared (100.64.0.0/10)
 * addresses only when private hosts are allowed ({@code git.allow-private-hosts}, default true: a
 * self-hosted PaaS's forge and servers usually live on the LAN).
 *
 * <p>A name is resolved once; every address it resolves to must pass, and the caller connects to
 * the checked address it is given, never to the name again (no DNS rebinding between check and use).
 */
public final class NetworkTargets {
    /** Resolves a host name to its addresses (the system resolver, or a table in tests). */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** The JVM's resolver. */
    public static final Resolver SYSTEM = InetAddress::getAllByName;

    /** Names of cloud metadata services, refused before any lookup. */
    private static final Set<String> METADATA_NAMES = Set.of("metadata.google.internal", "metadata.goog", "metadata",
            "instance-data", "instance-data.ec2.internal");

    private final Resolver resolver;
    private final boolean allowPrivate;

    public NetworkTargets(Resolver resolver, boolean allowPrivate) {
        this.resolver = resolver;
        this.allowPrivate = allowPrivate;
    }

    /** The system resolver with private hosts allowed (the default). */
    public static NetworkTargets defaults() {
        return new NetworkTargets(SYSTEM, true);
    }

    public boolean allowsPrivate() {
        return allowPrivate;
    }

    /**
     * Resolves {@code host} once and checks every address; answers the first, to connect to.
     *
     * @param field the request field named in the refusal
     * @throws PloyerException an invalid-argument naming {@code field} when an address is refused, or when the name
     *                         does not resolve
     */
    public InetAddress resolveChecked(String host, String field) {
        String name = bare(host);
        refuseMetadataName(name, field);
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(name);
        } catch (UnknownHostException e) {
            throw PloyerException.invalid(field, "names the host '" + name + "', which does not resolve");
        }
        if (addresses == null || addresses.length == 0) {
            throw PloyerException.invalid(field, "names the host '" + name + "', which does not resolve");
        }
        for (InetAddress address : addresses) {
            refusal(address).ifPresent(reason -> {
                throw PloyerException.invalid(field, "names the host '" + name + "', which resolves to " + address.getHostAddress()
                        + ", " + reason);
            });
        }
        return addresses[0];
    }

    /**
     * Checks {@code host} when it resolves; a name that does not resolve (now) is let through, to be checked
     * again when it is used.
     */
    public void checkIfResolvable(String host, String field) {
        String name = bare(host);
        refuseMetadataName(name, field);
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(name);
        } catch (UnknownHostException e) {
            return;
        }
        for (InetAddress address : addresses == null ? new InetAddress[0] : addresses) {
            refusal(address).ifPresent(reason -> {
                throw PloyerException.invalid(field, "names the host '" + name + "', which resolves to " + address.getHostAddress()
                        + ", " + reason);
            });
        }
    }

    /** Why Ployer must not connect to {@code address}, or empty when it may. */
    public Optional<String> refusal(InetAddress address) {
        if (isAlwaysRefused(address)) {
            return Optional.of("a link-local, cloud metadata, unspecified or multicast address, which is never allowed");
        }
        if (!allowPrivate && isPrivate(address)) {
            return Optional.of("a loopback or private network address, allowed only with git.allow-private-hosts=true");
        }
        return Optional.empty();
    }

    private static void refuseMetadataName(String name, String field) {
        if (METADATA_NAMES.contains(name.toLowerCase(Locale.ROOT).replaceAll("\\.$", ""))) {
            throw PloyerException.invalid(field, "names '" + name + "', a cloud metadata service, which is never allowed");
        }
    }

    private static String bare(String host) {
        String name = host == null ? "" : host.strip();
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        return name;
    }

    /** Link-local, the cloud metadata addresses outside it, unspecified and multicast. */
    static boolean isAlwaysRefused(InetAddress address) {
        if (address.isLinkLocalAddress() || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            // 0.0.0.0/8 ("this network"), Alibaba's 100.100.100.200, Oracle's 192.0.0.192
            return first == 0 || METADATA_V4.contains(address.getHostAddress()) || (first == 169 && second == 254);
        }
        if (address instanceof Inet6Address) {
            // fe80::/10 whatever the JDK says about scopes; AWS's fd00:ec2::254
            return (bytes[0] & 0xff) == 0xfe && (bytes[1] & 0xc0) == 0x80 || METADATA_V6.contains(address);
        }
        return false;
    }

    /** Loopback, RFC 1918, shared (100.64.0.0/10), site-local and unique local (fc00::/7) addresses. */
    static boolean isPrivate(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64;
        }
        return (bytes[0] & 0xfe) == 0xfc;
    }

    private static final Set<String> METADATA_V4 = Set.of("100.100.100.200", "192.0.0.192");
    private static final List<InetAddress> METADATA_V6 = List.of(literal("fd00:ec2::254"));

    private static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
