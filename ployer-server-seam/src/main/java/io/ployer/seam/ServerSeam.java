package io.ployer.seam;

import io.ployer.api.Ployer;
import io.ployer.api.account.AccountService.Principal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * What a server in front of a running engine needs beyond the public API: a response cache's
 * hooks, and restoring a backup archive before any engine runs. Kept out of {@code ployer-api} so
 * that embedders never see it, and out of the engine's classes so that a server compiles against
 * the API and this module only, with {@code ployer-engine} on its run-time class path: the engine
 * registers a {@link Provider} in {@code META-INF/services}.
 */
public interface ServerSeam {
    /**
     * Resolves a bearer credential the way {@code AccountService.authenticate} does, but only from
     * what is held in memory: it never reads storage or blocks, so a non-blocking HTTP layer may
     * call it on an I/O thread. Empty when the credential is not known in memory (authenticate off
     * the I/O thread then), so empty does not mean invalid. What is held in memory is never
     * answered past the credential's own expiry (a session's, or an API key's).
     */
    Optional<Principal> authenticateFromMemory(String bearer);

    /**
     * A number that grows whenever this instance commits a write to storage: while it stays the
     * same, what a read returns stays the same (writes by other processes on the same database are
     * not counted). Empty when the storage plugin does not count.
     */
    OptionalLong changeCount();

    /**
     * Like {@link #changeCount()} for one stored aggregate ({@code applications}, {@code domains},
     * {@code deployments}, {@code deployment_logs}, …: the names of {@code Storage#changeCount(String)}).
     */
    OptionalLong changeCount(String aggregate);

    /**
     * The seam of a running engine ({@code Ployer.builder()...build()}, started); empty for any
     * other {@link Ployer} (a wrapper, a view for a principal), which a server then serves without
     * a response cache, and when no engine is on the class path.
     */
    static Optional<ServerSeam> of(Ployer ployer) {
        return provider().flatMap(provider -> provider.seamOf(ployer));
    }

    /**
     * Restores a backup archive ({@code Administration.backupArchive}) into a data directory, after
     * checking its checksums and, through {@code openStaged}, that the configured key opens the
     * staged copy; on any failure nothing is written. A data directory that is not empty is
     * refused unless {@code force}.
     *
     * @param keysConfigured whether the keys come from configuration ({@code PLOYER_SECRET}) rather than a key file
     * @param openStaged     opens (and closes) an engine on the staged data directory; throws when it cannot
     * @throws IllegalStateException when no engine is on the class path
     */
    static RestoredBackup restoreBackup(Path archive, Path dataDirectory, boolean force, boolean keysConfigured,
                                        Consumer<Path> openStaged) {
        return provider().orElseThrow(() -> new IllegalStateException(
                        "no Ployer engine on the class path (ployer-engine registers io.ployer.seam.ServerSeam$Provider)"))
                .restoreBackup(archive, dataDirectory, force, keysConfigured, openStaged);
    }

    /**
     * Rotates the secret key of a data directory no engine runs on: with a key file, a new key
     * replaces the old ones there after every secret is re-encrypted under it; with
     * {@code configuredKeys} ({@code PLOYER_SECRET}, whose first key must be the new one) every secret
     * is re-encrypted under its first key.
     *
     * @param configuredKeys {@code PLOYER_SECRET}, or null or blank for the data directory's key file
     * @param open           builds and starts an engine on the data directory (with the key file as it is then)
     * @throws IllegalStateException when no engine is on the class path
     */
    static KeyRotation rotateKey(Path dataDirectory, String configuredKeys, java.util.function.Supplier<Ployer> open) {
        return provider().orElseThrow(() -> new IllegalStateException(
                        "no Ployer engine on the class path (ployer-engine registers io.ployer.seam.ServerSeam$Provider)"))
                .rotateKey(dataDirectory, configuredKeys, open);
    }

    private static Optional<Provider> provider() {
        Iterator<Provider> providers = ServiceLoader.load(Provider.class, ServerSeam.class.getClassLoader()).iterator();
        return providers.hasNext() ? Optional.of(providers.next()) : Optional.empty();
    }

    /**
     * What a restored backup archive says about itself.
     *
     * @param ployerVersion the version that wrote it
     * @param createdAt     when it was written
     * @param keyInArchive  whether it carried the key file (if not, the key comes from configuration)
     */
    record RestoredBackup(String ployerVersion, Instant createdAt, boolean keyInArchive) {
    }

    /**
     * What a key rotation did.
     *
     * @param primaryKeyId  the key every secret is encrypted with now
     * @param retiredKeyIds the keys that encrypt nothing any more (gone from the key file; to remove from
     *                      {@code PLOYER_SECRET} when the keys come from there)
     * @param reencrypted   how many stored values were re-encrypted
     * @param keyFile       whether the keys are in the data directory's key file (rewritten) rather than
     *                      {@code PLOYER_SECRET}
     */
    record KeyRotation(String primaryKeyId, java.util.List<String> retiredKeyIds, int reencrypted, boolean keyFile) {
    }

    /** What an engine registers in {@code META-INF/services/io.ployer.seam.ServerSeam$Provider}. */
    interface Provider {
        /** The seam of {@code ployer} when it is a running engine of this provider's; empty otherwise. */
        Optional<ServerSeam> seamOf(Ployer ployer);

        /** {@link ServerSeam#restoreBackup}. */
        RestoredBackup restoreBackup(Path archive, Path dataDirectory, boolean force, boolean keysConfigured,
                                     Consumer<Path> openStaged);

        /** {@link ServerSeam#rotateKey}. */
        KeyRotation rotateKey(Path dataDirectory, String configuredKeys, java.util.function.Supplier<Ployer> open);
    }
}
