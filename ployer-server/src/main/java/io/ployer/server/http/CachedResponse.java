package io.ployer.server.http;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a GET resource method whose answer depends only on stored state, the caller and the
 * request target (path and query): its 200 answers may be served again by the
 * {@link ResponseCache} until storage changes. Never put it on a method that reads live state
 * (Docker, the proxy, the clock) or reveals secrets.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface CachedResponse {
}
