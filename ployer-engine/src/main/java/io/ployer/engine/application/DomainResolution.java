package io.ployer.engine.application;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/** Whether a hostname's DNS points at this machine. */
final class DomainResolution {
    private DomainResolution() {
    }

    static boolean pointsHere(String hostname) {
        InetAddress[] resolved;
        try {
            resolved = InetAddress.getAllByName(hostname.startsWith("*.") ? "verify" + hostname.substring(1) : hostname);
        } catch (UnknownHostException e) {
            return false;
        }
        Set<InetAddress> local = new HashSet<>();
        try {
            for (NetworkInterface networkInterface : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                local.addAll(Collections.list(networkInterface.getInetAddresses()));
            }
        } catch (SocketException e) {
            // no interfaces readable: only loopback counts
        }
        for (InetAddress address : resolved) {
            if (address.isLoopbackAddress() || local.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
