package io.ployer.engine.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutorService;
import org.apache.sshd.client.channel.ClientChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local socket whose every connection is one SSH channel: bytes are pumped both ways until either
 * side ends. For the Docker Engine API the socket is a Unix domain socket in a directory only this
 * process's user can enter (no TCP port anywhere); each connection becomes a
 * {@code docker system dial-stdio} exec channel, so the Docker plugin's own HTTP client, pool and
 * streaming (logs, stats, build output) work unchanged. For Caddy's admin API it is a TCP port on the
 * control node's loopback, each connection a {@code direct-tcpip} channel to the server's loopback.
 */
final class ChannelBridge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelBridge.class);
    private static final int CHUNK = 32 * 1024;

    /** Opens the SSH channel for one accepted connection. */
    @FunctionalInterface
    interface Opener {
        ClientChannel open() throws IOException;
    }

    private final ServerSocketChannel listener;
    private final Opener opener;
    private final ExecutorService threads;
    private final String what;
    private final Path socketDirectory;
    private volatile boolean closed;

    private ChannelBridge(ServerSocketChannel listener, Path socketDirectory, Opener opener, ExecutorService threads, String what) {
        this.listener = listener;
        this.socketDirectory = socketDirectory;
        this.opener = opener;
        this.threads = threads;
        this.what = what;
        threads.execute(this::acceptLoop);
    }

    /** A Unix domain socket {@code docker.sock} in a new directory readable by this user only. */
    static ChannelBridge unixSocket(Opener opener, ExecutorService threads, String what) throws IOException {
        Path directory = Files.createTempDirectory("ployer-ssh-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path socket = directory.resolve("docker.sock");
        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listener.bind(UnixDomainSocketAddress.of(socket));
        return new ChannelBridge(listener, directory, opener, threads, what);
    }

    /** A TCP listener on {@code 127.0.0.1:port} (0 for any free port). */
    static ChannelBridge loopbackPort(int port, Opener opener, ExecutorService threads, String what) throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open();
        try {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            listener.close();
            throw e;
        }
        return new ChannelBridge(listener, null, opener, threads, what);
    }

    /** {@code unix:///…/docker.sock} for a Unix socket bridge. */
    String dockerHost() {
        return "unix://" + socketDirectory.resolve("docker.sock");
    }

    /** The loopback port of a TCP bridge. */
    int port() {
        try {
            return ((InetSocketAddress) listener.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel connection;
            try {
                connection = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("the {} bridge stopped accepting: {}", what, e.toString());
                }
                return;
            }
            try {
                threads.execute(() -> serve(connection));
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                closeQuietly(connection);
                return;
            }
        }
    }

    private void serve(SocketChannel connection) {
        ClientChannel channel;
        try {
            channel = opener.open();
        } catch (IOException | RuntimeException e) {
            LOG.debug("{}: no channel ({})", what, e.getMessage());
            closeQuietly(connection);
            return;
        }
        try {
            threads.execute(() -> toLocal(channel, connection));
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            channel.close(true);
            closeQuietly(connection);
            return;
        }
        toRemote(connection, channel);
    }

    /** Local socket → the channel's input; the local side's end of input is sent as EOF. */
    private void toRemote(SocketChannel connection, ClientChannel channel) {
        OutputStream remote = channel.getInvertedIn();
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
        try {
            while (true) {
                buffer.clear();
                int read = connection.read(buffer);
                if (read < 0) {
                    break;
                }
                remote.write(buffer.array(), 0, read);
                remote.flush();
            }
            remote.close(); // SSH_MSG_CHANNEL_EOF: dial-stdio half-closes its connection to the engine
        } catch (IOException e) {
            channel.close(true);
            closeQuietly(connection);
        }
    }

    /** The channel's output → local socket; when it ends, so does the local connection. */
    private void toLocal(ClientChannel channel, SocketChannel connection) {
        InputStream remote = channel.getInvertedOut();
        byte[] buffer = new byte[CHUNK];
        try {
            while (true) {
                int read = remote.read(buffer);
                if (read < 0) {
                    break;
                }
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, read);
                while (chunk.hasRemaining()) {
                    connection.write(chunk);
                }
            }
        } catch (IOException e) {
            LOG.trace("{}: connection ended: {}", what, e.toString());
        } finally {
            channel.close(false);
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        if (socketDirectory != null) {
            try {
                Files.deleteIfExists(socketDirectory.resolve("docker.sock"));
                Files.deleteIfExists(socketDirectory);
            } catch (IOException e) {
                LOG.debug("socket directory {} not removed: {}", socketDirectory, e.toString());
            }
        }
    }
}
