package io.ployer.api.server;

import java.util.List;
import java.util.Optional;

/** The servers applications run on. */
public interface ServerService {

    /** Every server, the local one first. Private keys are omitted. */
    List<Server> list();

    Optional<Server> find(String serverId);

    /** The local server, registered at first start. */
    Server local();
}
