package io.ployer.api.server;

/**
 * A remote server to register or change.
 *
 * @param name          display name, unique
 * @param host          hostname or address
 * @param port          SSH port (default 22)
 * @param username      SSH user
 * @param sshPrivateKey SSH private key (secret: stored encrypted, never returned)
 */
public record ServerSpec(String name, String host, Integer port, String username, String sshPrivateKey) {
    @Override
    public String toString() {
        return "ServerSpec[name=" + name + ", host=" + host + ", port=" + port + ", username=" + username + "]";
    }
}
