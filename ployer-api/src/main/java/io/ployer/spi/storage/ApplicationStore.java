package io.ployer.spi.storage;

import io.ployer.api.application.Application;
import java.util.List;
import java.util.Optional;

/** Applications. Deleting one deletes everything it owns. */
public interface ApplicationStore {
    void insert(Application application);

    /** Replaces the stored row with the same id; NOT_FOUND when there is none. */
    void update(Application application);

    Optional<Application> findById(String id);

    Optional<Application> findByName(String name);

    /** All applications, ordered by name. */
    List<Application> list();

    /** Returns whether a row was deleted. */
    boolean delete(String id);
}
