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
 *
 * <p>{@link #reads()} names every stored aggregate the answer is made of (the names of
 * {@code ServerSeam#changeCount(String)}: {@code applications}, {@code domains},
 * {@code deployments}, {@code deployment_logs}, …); the answer is kept until one of those changes,
 * so writes to other aggregates (health results every tick) leave it in place. Leave it empty to
 * drop the answer on any write.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface CachedResponse {
    /** The aggregates the answer is made of; empty means any write may change it. */
    String[] reads() default {};
}
