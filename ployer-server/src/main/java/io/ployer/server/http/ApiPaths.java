package io.ployer.server.http;

/** Where the REST API lives: every resource is served below {@link #PREFIX}. */
public final class ApiPaths {
    /** The prefix of every REST resource. */
    public static final String PREFIX = "/api/v1";

    private ApiPaths() {
    }
}
