package io.ployer.spi.proxy;

/** How a route's hosts are served. */
public enum TlsMode {
    /** Public certificates for public names, an internal CA for {@code .localhost} and test names. */
    AUTO,
    /** Always the proxy's internal CA. */
    INTERNAL,
    /** Plain HTTP only. */
    NONE
}
