package io.ployer.spi.storage;

import io.ployer.api.server.Server;
import java.util.List;
import java.util.Optional;

/** Servers; the SSH private key is stored as given (encrypted). */
public interface ServerStore {
    void insert(Server server);

    void update(Server server);

    Optional<Server> findById(String id);

    Optional<Server> findByName(String name);

    Optional<Server> findLocal();

    /** All servers, the local one first, then by name. */
    List<Server> list();

    boolean delete(String id);
}
