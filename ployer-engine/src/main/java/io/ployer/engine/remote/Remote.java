package io.ployer.engine.remote;

import io.ployer.spi.proxy.ReverseProxy;
import io.ployer.spi.runtime.ContainerRuntime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One server in use: its connection, Docker, Caddy, and whether it answered the last probe. */
final class Remote {
    final String serverId;
    final String name;
    final SshLink link;
    final ChannelBridge docker;
    final ContainerRuntime runtime;
    /** The runtime, remembering where the containers it makes run. */
    final ContainerRuntime recording;
    final ChannelBridge admin;
    final ReverseProxy proxy;
    volatile boolean reachable = true;
    volatile boolean proxyReady;
    /** Published address on the server → the loopback bridge the control node's health probes use. */
    final Map<String, ChannelBridge> probes = new ConcurrentHashMap<>();

    Remote(String serverId, String name, SshLink link, ChannelBridge docker, ContainerRuntime runtime, ChannelBridge admin,
           ReverseProxy proxy, Map<String, String> containers) {
        this.serverId = serverId;
        this.name = name;
        this.link = link;
        this.docker = docker;
        this.runtime = runtime;
        this.recording = new io.ployer.engine.container.ForwardingContainerRuntime(runtime) {
            @Override
            public String createContainer(io.ployer.spi.runtime.ContainerSpec spec) {
                String id = super.createContainer(spec);
                containers.put(id, serverId);
                return id;
            }
        };
        this.admin = admin;
        this.proxy = proxy;
    }
}
