package io.ployer.server.http;

/** A request body exceeded the server's limit. */
public final class RequestTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RequestTooLargeException(long limit) {
        super("request body larger than " + limit + " bytes");
    }
}
