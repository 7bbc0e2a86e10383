package io.ployer.spi.storage;

import io.ployer.api.account.User;
import java.util.List;
import java.util.Optional;

/** Users; the e-mail is unique. */
public interface UserStore {
    void insert(User user);

    void update(User user);

    Optional<User> findById(String id);

    Optional<User> findByEmail(String email);

    List<User> list();

    long count();

    boolean delete(String id);
}
