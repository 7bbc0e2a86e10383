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

    /**
     * One page of {@link #list()}: at most {@code limit} applications in name order after skipping
     * {@code offset}. The default slices the full list; storages override it to page in the query.
     */
    default List<Application> list(int offset, int limit) {
        return list().stream().skip(offset).limit(limit).toList();
    }

    /** How many applications there are. The default counts the full list; storages override it. */
    default long count() {
        return list().size();
    }

    /** Returns whether a row was deleted. */
    boolean delete(String id);
}
