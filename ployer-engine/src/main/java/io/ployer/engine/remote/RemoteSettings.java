package io.ployer.engine.remote;

import java.time.Duration;
import java.util.Map;

/**
 * How Ployer works with remote servers (engine keys {@code servers.*}).
 *
 * @param probeInterval  how often each remote server in use is asked whether its Docker answers over SSH
 * @param publishHost    the address on the server that containers publish their port on (the server's
 *                       Caddy reaches them there; the control node's health checks too)
 * @param proxyImage     the Caddy image run on each server as its reverse proxy
 * @param proxyAdminPort the port of that Caddy's admin API on the server's loopback (never exposed:
 *                       Ployer reaches it through the SSH connection)
 * @param proxyConfig    the reverse proxy plugin's settings for the servers' Caddy ({@code http-port},
 *                       {@code https-port}, {@code listen-host}, {@code http-only})
 */
public record RemoteSettings(Duration probeInterval, String publishHost, String proxyImage, int proxyAdminPort,
                             Map<String, String> proxyConfig) {
    public RemoteSettings {
        proxyConfig = Map.copyOf(proxyConfig);
    }
}
