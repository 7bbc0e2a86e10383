package io.ployer.engine.deploy;

import io.ployer.api.Ployer;
import io.ployer.api.deployment.DeploymentRequest;
import io.ployer.plugin.caddy.CaddyPlugin;
import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.proxy.ProxyStatus;
import io.ployer.spi.proxy.ReverseProxy;
import io.ployer.spi.proxy.ReverseProxyFactory;
import io.ployer.spi.proxy.Route;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Runs in a child JVM for the SWITCHING crash test: starts an engine whose Caddy proxy halts the JVM
 * (no shutdown hook, no cleanup: what kill -9 leaves) right after the deployment's switch applied the
 * new route, while storage still says SWITCHING.
 */
public final class SwitchCrashHarness {
    private static volatile boolean armed;

    private SwitchCrashHarness() {
    }

    public static void main(String[] arguments) throws InterruptedException {
        Path data = Path.of(arguments[0]);
        String applicationId = arguments[1];
        Map<String, String> config = new LinkedHashMap<>();
        for (int i = 2; i < arguments.length; i++) {
            String[] entry = arguments[i].split("=", 2);
            config.put(entry[0], entry[1]);
        }
        config.put("proxy", "caddy-halting");
        Ployer ployer = Ployer.builder().dataDirectory(data).config(config).plugin(new HaltingProxyPlugin()).build();
        ployer.start();
        armed = true;
        System.out.println("DEPLOYING " + ployer.deployments().deploy(DeploymentRequest.of(applicationId)).id());
        System.out.flush();
        new CountDownLatch(1).await();
    }

    /** Caddy, with a proxy that halts the JVM right after it applied a route while armed. */
    public static final class HaltingProxyPlugin implements PloyerPlugin {
        @Override
        public List<ReverseProxyFactory> reverseProxyFactories() {
            ReverseProxyFactory caddy = new CaddyPlugin().reverseProxyFactories().get(0);
            return List.of(new ReverseProxyFactory() {
                @Override
                public String name() {
                    return "caddy-halting";
                }

                @Override
                public Set<String> configKeys() {
                    return caddy.configKeys();
                }

                @Override
                public ReverseProxy create(Map<String, String> config, PluginContext context) {
                    return new Halting(caddy.create(config, context));
                }
            });
        }
    }

    private record Halting(ReverseProxy delegate) implements ReverseProxy {
        @Override
        public void start() {
            delegate.start();
        }

        @Override
        public void apply(Route route) {
            delegate.apply(route);
            if (armed) {
                System.out.println("SWITCHED " + route.upstreams().get(0).address());
                System.out.flush();
                Runtime.getRuntime().halt(137);
            }
        }

        @Override
        public void remove(String applicationId) {
            delegate.remove(applicationId);
        }

        @Override
        public void replaceAll(List<Route> routes) {
            delegate.replaceAll(routes);
        }

        @Override
        public List<Route> routes() {
            return delegate.routes();
        }

        @Override
        public ProxyStatus status() {
            return delegate.status();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
