package io.ployer.plugin.caddy.internal;

import java.net.URI;
import java.time.Duration;

/**
 * How Ployer talks to Caddy.
 *
 * @param adminAddress   the admin API, e.g. {@code http://127.0.0.1:2019}
 * @param serverName     the HTTP server block Ployer owns in Caddy's config
 * @param listenHost     the address to listen on ({@code ""} for every interface)
 * @param httpPort       the HTTP port
 * @param httpsPort      the HTTPS port
 * @param httpOnly       plain HTTP only, no certificates (tests, or TLS terminated elsewhere)
 * @param tryDuration    how long Caddy keeps retrying a refused upstream, so a switch never shows a 502
 * @param requestTimeout time allowed for one admin call
 */
public record CaddySettings(URI adminAddress, String serverName, String listenHost, int httpPort, int httpsPort,
                            boolean httpOnly, Duration tryDuration, Duration requestTimeout) {
}
