package io.ployer.api.server;

/** Reachability of a server. */
public enum ServerStatus {
    ONLINE,
    OFFLINE,
    UNKNOWN
}
