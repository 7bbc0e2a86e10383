package io.ployer.engine.remote;

import io.ployer.engine.source.DeployKeys;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelDirectTcpip;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannel;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One remote server's SSH connection (Apache MINA SSHD): the server's stored key, its host key
 * pinned on first use (a changed host key is refused, as {@code ServerService.validate} does), one
 * session reused by every channel and opened again when it dropped. Channels are either
 * {@code docker system dial-stdio} in an exec channel (the Docker CLI's {@code ssh://} transport) or
 * a {@code direct-tcpip} channel to a port on the server's loopback (its Caddy admin API).
 */
final class SshLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SshLink.class);
    static final String DIAL_STDIO = "docker system dial-stdio";

    /**
     * Where and as whom to connect, read again at each connect (a changed key applies at the next session).
     *
     * @param pinnedHostKey the host key fingerprint remembered earlier, if any
     * @param remember      receives the host key fingerprint after the first session with none pinned
     */
    record Target(String host, InetAddress address, int port, String username, String privateKey,
                  Optional<String> pinnedHostKey, Consumer<String> remember) {
        @Override
        public String toString() {
            return "Target[" + username + "@" + host + ":" + port + "]";
        }
    }

    private final String serverName;
    private final Supplier<Target> target;
    private final Duration timeout;
    private final SshClient client;
    private ClientSession session;
    private boolean closed;

    SshLink(String serverName, Supplier<Target> target, Duration timeout) {
        this.serverName = serverName;
        this.target = target;
        this.timeout = timeout;
        this.client = SshClient.setUpDefaultClient();
        client.start();
    }

    /** The open session, connecting (and authenticating) first when there is none or it dropped. */
    synchronized ClientSession session() throws IOException {
        if (closed) {
            throw new IOException("the connection to " + serverName + " is closed");
        }
        if (session != null && session.isOpen() && session.isAuthenticated()) {
            return session;
        }
        if (session != null) {
            session.close(true);
            session = null;
        }
        Target where = target.get();
        KeyPair identity;
        try {
            identity = DeployKeys.loadKeyPairs(where.privateKey()).iterator().next();
        } catch (RuntimeException e) {
            throw new IOException("the SSH key of " + serverName + " cannot be read");
        }
        AtomicReference<String> seen = new AtomicReference<>();
        client.setServerKeyVerifier((clientSession, address, key) -> {
            String fingerprint = KeyUtils.getFingerPrint(key);
            seen.set(fingerprint);
            return where.pinnedHostKey().map(fingerprint::equals).orElse(true);
        });
        ClientSession opened = null;
        try {
            opened = client.connect(where.username(), new InetSocketAddress(where.address(), where.port()))
                    .verify(timeout).getSession();
            opened.addPublicKeyIdentity(identity);
            opened.auth().verify(timeout);
        } catch (IOException | RuntimeException e) {
            if (opened != null) {
                opened.close(true);
            }
            if (where.pinnedHostKey().isPresent() && seen.get() != null && !where.pinnedHostKey().get().equals(seen.get())) {
                throw new IOException("the host key of " + where.host() + " changed (now " + seen.get() + "): refusing to connect");
            }
            throw new IOException("cannot open an SSH session with " + where.username() + "@" + where.host() + ":" + where.port()
                    + " (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
        if (where.pinnedHostKey().isEmpty() && seen.get() != null) {
            where.remember().accept(seen.get());
        }
        LOG.debug("SSH session with server {} opened", serverName);
        session = opened;
        return opened;
    }

    /** A new exec channel running {@code docker system dial-stdio}: its stdin and stdout speak the Docker Engine API. */
    ClientChannel dialDocker() throws IOException {
        ChannelExec channel = session().createExecChannel(DIAL_STDIO);
        channel.setErr(java.io.OutputStream.nullOutputStream()); // unread, its window would fill up
        return opened(channel);
    }

    /** A new {@code direct-tcpip} channel to {@code host:port} as the server sees it (its loopback, say). */
    ClientChannel dialTcp(String host, int port) throws IOException {
        ClientSession current = session();
        DirectTcpip channel = new DirectTcpip(new SshdSocketAddress("127.0.0.1", 0), new SshdSocketAddress(host, port));
        current.getService(org.apache.sshd.common.session.ConnectionService.class).registerChannel(channel);
        return opened(channel);
    }

    /**
     * A {@code direct-tcpip} channel whose output stream ends when the server sends EOF (the far
     * socket closed): MINA's own keeps it open until the channel closes, which OpenSSH does only
     * after our EOF — a pooled HTTP connection to Caddy's admin API would then wait forever.
     */
    private static final class DirectTcpip extends ChannelDirectTcpip {
        DirectTcpip(SshdSocketAddress local, SshdSocketAddress remote) {
            super(local, remote);
        }

        @Override
        public void handleEof() throws IOException {
            super.handleEof();
            if (getInvertedOut() instanceof org.apache.sshd.common.channel.ChannelPipedInputStream pipe) {
                pipe.eof();
            }
        }
    }

    private ClientChannel opened(ClientChannel channel) throws IOException {
        try {
            channel.open().verify(timeout);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close(true);
            dropIfDead();
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    /** Forgets a session that no longer works, so the next channel connects anew. */
    synchronized void dropIfDead() {
        if (session != null && !session.isOpen()) {
            session = null;
        }
    }

    /** Closes the session now (the next channel opens a new one): after the server stopped answering. */
    synchronized void reset() {
        if (session != null) {
            session.close(true);
            session = null;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        reset();
        client.stop();
    }
}
