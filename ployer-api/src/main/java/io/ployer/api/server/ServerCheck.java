package io.ployer.api.server;

/**
 * The outcome of validating a server.
 *
 * @param status  ONLINE or OFFLINE
 * @param message what was found, for people
 */
public record ServerCheck(ServerStatus status, String message) {
}
