package io.ployer.engine;

import io.ployer.api.account.AccountService.Principal;
import io.ployer.engine.account.DefaultAccountService;
import io.ployer.seam.ServerSeam;
import io.ployer.spi.storage.Storage;
import java.util.Optional;
import java.util.OptionalLong;

/** A running engine's {@link ServerSeam}: its accounts' in-memory authentication and its storage's change counts. */
final class EngineServerSeam implements ServerSeam {
    private final DefaultAccountService accounts;
    private final Storage storage;

    EngineServerSeam(DefaultAccountService accounts, Storage storage) {
        this.accounts = accounts;
        this.storage = storage;
    }

    @Override
    public Optional<Principal> authenticateFromMemory(String bearer) {
        return accounts.authenticateFromMemory(bearer);
    }

    @Override
    public OptionalLong changeCount() {
        return storage.changeCount();
    }

    @Override
    public OptionalLong changeCount(String aggregate) {
        return storage.changeCount(aggregate);
    }
}
