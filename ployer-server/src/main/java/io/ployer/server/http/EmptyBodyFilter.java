package io.ployer.server.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;

/**
 * A request without a body needs no {@code Content-Type}: {@code curl -X POST …/deploy} with
 * nothing else is a complete request wherever the body is optional. Such a request is treated as an
 * empty JSON one, so JAX-RS matches it instead of answering 415; a resource that needs a body
 * answers 400 naming it. A request that does carry a body still has to say it is JSON.
 */
@Provider
@PreMatching
public final class EmptyBodyFilter implements ContainerRequestFilter {
    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getMediaType() == null && isEmpty(request)) {
            request.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
        }
    }

    private static boolean isEmpty(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            return length.trim().equals("0");
        }
        return request.getHeaderString("Transfer-Encoding") == null;
    }
}
