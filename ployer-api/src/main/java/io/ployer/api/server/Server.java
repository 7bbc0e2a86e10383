package io.ployer.api.server;

import java.time.Instant;
import java.util.Objects;

/**
 * A machine applications run on: the local one, or a remote one reached over SSH.
 *
 * @param id            stable id
 * @param name          display name, unique
 * @param host          hostname or address ({@code localhost} for the local server)
 * @param port          SSH port
 * @param username      SSH user
 * @param sshPrivateKey SSH private key (plain, encrypted or {@code null} depending on where the record is)
 * @param local         whether this is the machine Ployer runs on
 * @param status        last known reachability
 * @param lastCheckedAt when it was last checked
 * @param createdAt     creation time
 */
public record Server(String id, String name, String host, int port, String username, String sshPrivateKey,
                     boolean local, ServerStatus status, Instant lastCheckedAt, Instant createdAt) {
    public Server {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public Server withStatus(ServerStatus newStatus, Instant checkedAt) {
        return new Server(id, name, host, port, username, sshPrivateKey, local, newStatus, checkedAt, createdAt);
    }

    public Server withSshPrivateKey(String key) {
        return new Server(id, name, host, port, username, key, local, status, lastCheckedAt, createdAt);
    }

    @Override
    public String toString() {
        return "Server[id=" + id + ", name=" + name + ", host=" + host + ", port=" + port + ", local=" + local
                + ", status=" + status + "]";
    }
}
