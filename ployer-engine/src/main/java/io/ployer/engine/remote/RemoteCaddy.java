package io.ployer.engine.remote;

import io.ployer.api.application.RestartPolicy;
import io.ployer.api.container.ContainerInfo;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.runtime.ContainerSpec;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Caddy each remote server runs as its reverse proxy: a container {@code ployer-proxy} on the
 * server's Docker with the host's network (it listens on the server's HTTP/HTTPS ports) and its admin
 * API on the server's loopback only. Ployer reaches that API through a {@code direct-tcpip} SSH
 * channel from a loopback port of its own; Caddy checks the Host header of admin requests, so that
 * port is in the admin's allowed origins, and a container made for another port is made again.
 */
final class RemoteCaddy {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteCaddy.class);
    static final String NAME = "ployer-proxy";
    static final String LABEL_PROXY = "io.ployer.proxy";
    static final String LABEL_ORIGIN = "io.ployer.proxy.admin-origin";
    private static final String CONFIG_FILE = "ployer-caddy.json";

    private RemoteCaddy() {
    }

    /** Makes sure the server's Caddy runs, with its admin API allowed for requests that come in at {@code localPort}. */
    static void ensure(ContainerRuntime runtime, RemoteSettings settings, int localPort, String instanceId) {
        String origin = "127.0.0.1:" + localPort;
        for (ContainerInfo container : runtime.listContainers(Map.of(LABEL_PROXY, "caddy"), true)) {
            if (origin.equals(container.labels().get(LABEL_ORIGIN))) {
                if (!container.running()) {
                    LOG.info("starting the stopped Caddy of a remote server");
                    runtime.startContainer(container.id());
                }
                return;
            }
            LOG.warn("the Caddy of a remote server allows admin requests from another port: making it again "
                    + "(its routes are pushed again at once)");
            runtime.removeContainer(container.id(), true);
        }
        if (!runtime.imageExists(settings.proxyImage())) {
            runtime.pullImage(settings.proxyImage(), line -> LOG.debug("pull {}: {}", settings.proxyImage(), line), io.ployer.spi.plugin.Cancellation.NONE);
        }
        String admin = "127.0.0.1:" + settings.proxyAdminPort();
        String config = "{\"admin\":{\"listen\":\"" + admin + "\",\"origins\":[\"" + admin + "\",\"" + origin
                + "\"],\"config\":{\"persist\":false}}}";
        ContainerSpec spec = new ContainerSpec(NAME, settings.proxyImage(), Map.of(), 0,
                Map.of(LABEL_PROXY, "caddy", LABEL_ORIGIN, origin, ContainerRuntime.LABEL_INSTANCE, instanceId), null,
                RestartPolicy.UNLESS_STOPPED, List.of("caddy", "run", "--config", "/" + CONFIG_FILE), "host");
        String id = runtime.createContainer(spec);
        byte[] bytes = config.getBytes(StandardCharsets.UTF_8);
        runtime.copyFileToContainer(id, "/", CONFIG_FILE, new ByteArrayInputStream(bytes), bytes.length);
        runtime.startContainer(id);
        LOG.info("started Caddy on a remote server (admin API on its loopback port {})", settings.proxyAdminPort());
    }
}
