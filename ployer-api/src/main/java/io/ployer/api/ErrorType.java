package io.ployer.api;

/** Who is to blame for a {@link PloyerException}: it decides the HTTP status and whether a retry can help. */
public enum ErrorType {
    /** The caller asked for something invalid or impossible; retrying the same request fails again. */
    USER,
    /** A system outside Ployer (Docker, the proxy, a git remote) failed or refused. */
    EXTERNAL,
    /** A bug or broken invariant inside Ployer or a plugin. */
    INTERNAL,
    /** A limit was reached (concurrency, disk, memory); retrying later may succeed. */
    INSUFFICIENT_RESOURCES
}
