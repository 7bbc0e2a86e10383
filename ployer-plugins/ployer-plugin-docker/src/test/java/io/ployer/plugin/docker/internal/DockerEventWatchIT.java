package io.ployer.plugin.docker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.spi.runtime.RuntimeEvent;
import io.ployer.testkit.Environment;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime's event watch against the real dockerd, reached through a unix-socket relay the test
 * can cut: a {@code docker kill} and a {@code docker rm} of a labelled container arrive as events
 * (containers without the label do not), and when the connection to dockerd breaks and comes back
 * (what a dockerd restart does to the stream) the watch reconnects by itself and says so.
 */
@SuppressWarnings("try") // the watch is held open for its side effect
class DockerEventWatchIT {
    private static final long GIVE_UP_SECONDS = 60;

    @TempDir
    Path directory;

    @Test
    void reportsDeathsAndRemovalsOfLabelledContainersAndItsReconnection() throws Exception {
        Environment.requireDocker();
        Path socket = directory.resolve("docker.sock");
        String label = "io.ployer.test-watch";
        String value = UUID.randomUUID().toString();
        BlockingQueue<RuntimeEvent> events = new LinkedBlockingQueue<>();
        try (Relay relay = new Relay(socket, Path.of("/var/run/docker.sock"));
             DockerContainerRuntime runtime = new DockerContainerRuntime("unix://" + socket, "127.0.0.1",
                     Duration.ofSeconds(30), Clock.systemUTC());
             AutoCloseable watch = runtime.watchEvents(Map.of(label, value), events::add).orElseThrow()) {
            relay.awaitEventStream();
            String unlabelled = docker("run", "-d", "ployer/busybox:latest", "sleep", "600").strip();
            String labelled = docker("run", "-d", "--label", label + "=" + value, "ployer/busybox:latest", "sleep", "600").strip();
            try {
                docker("kill", unlabelled);
                docker("kill", labelled);
                RuntimeEvent died = next(events);
                assertThat(died.type()).isEqualTo(RuntimeEvent.Type.CONTAINER_DIED);
                assertThat(died.containerId()).isEqualTo(labelled);
                assertThat(died.labels()).containsEntry(label, value);
                docker("rm", "-f", labelled);
                RuntimeEvent removed = next(events);
                assertThat(removed.type()).isEqualTo(RuntimeEvent.Type.CONTAINER_REMOVED);
                assertThat(removed.containerId()).isEqualTo(labelled);

                relay.cut();
                relay.reopen();
                RuntimeEvent back = next(events);
                assertThat(back.type()).isEqualTo(RuntimeEvent.Type.RECONNECTED);
                assertThat(back.containerId()).isNull();

                // Still watching after the reconnection.
                relay.awaitEventStream();
                String again = docker("run", "-d", "--label", label + "=" + value, "ployer/busybox:latest", "sleep", "600").strip();
                docker("rm", "-f", again);
                RuntimeEvent afterwards = next(events);
                assertThat(afterwards.containerId()).isEqualTo(again);
                assertThat(events.stream().map(RuntimeEvent::containerId)).doesNotContain(unlabelled);
            } finally {
                docker("rm", "-f", unlabelled, labelled);
            }
        }
    }

    private static RuntimeEvent next(BlockingQueue<RuntimeEvent> events) throws InterruptedException {
        RuntimeEvent event = events.poll(GIVE_UP_SECONDS, TimeUnit.SECONDS);
        assertThat(event).as("an event from the watch").isNotNull();
        return event;
    }

    private static String docker(String... arguments) throws Exception {
        String[] command = new String[arguments.length + 1];
        command[0] = "docker";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }

    /**
     * A unix socket that forwards each connection to dockerd's; {@link #cut()} closes the listener and
     * every connection, as a dockerd going away does. Notes when an events request gets its answer.
     */
    private static final class Relay implements AutoCloseable {
        private final Path path;
        private final Path target;
        private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
        private final Semaphore eventStreams = new Semaphore(0);
        private volatile ServerSocketChannel server;

        Relay(Path path, Path target) throws IOException {
            this.path = path;
            this.target = target;
            reopen();
        }

        void reopen() throws IOException {
            Files.deleteIfExists(path);
            ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            listener.bind(UnixDomainSocketAddress.of(path));
            server = listener;
            Thread acceptor = new Thread(() -> accept(listener), "relay-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        void awaitEventStream() throws InterruptedException {
            assertThat(eventStreams.tryAcquire(GIVE_UP_SECONDS, TimeUnit.SECONDS)).as("the watch asked dockerd for events").isTrue();
        }

        private void accept(ServerSocketChannel listener) {
            while (listener.isOpen()) {
                try {
                    SocketChannel client = listener.accept();
                    SocketChannel daemon = SocketChannel.open(UnixDomainSocketAddress.of(target));
                    open.add(client);
                    open.add(daemon);
                    boolean[] events = new boolean[1];
                    pump(client, daemon, first -> events[0] = first.contains("/events"));
                    pump(daemon, client, first -> {
                        if (events[0]) {
                            eventStreams.release();
                        }
                    });
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void pump(SocketChannel from, SocketChannel to, java.util.function.Consumer<String> first) {
            Thread thread = new Thread(() -> {
                ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
                boolean seen = false;
                try {
                    while (from.read(buffer) >= 0) {
                        buffer.flip();
                        if (!seen && buffer.hasRemaining()) {
                            seen = true;
                            first.accept(StandardCharsets.ISO_8859_1.decode(buffer.duplicate()).toString());
                        }
                        while (buffer.hasRemaining()) {
                            to.write(buffer);
                        }
                        buffer.clear();
                    }
                } catch (IOException closed) {
                    // cut
                } finally {
                    closeQuietly(from);
                    closeQuietly(to);
                }
            }, "relay-pump");
            thread.setDaemon(true);
            thread.start();
        }

        void cut() throws IOException {
            server.close();
            for (SocketChannel channel : open) {
                closeQuietly(channel);
            }
            open.clear();
            Files.deleteIfExists(path);
        }

        private static void closeQuietly(SocketChannel channel) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing anyway
            }
        }

        @Override
        public void close() throws IOException {
            cut();
        }
    }
}
