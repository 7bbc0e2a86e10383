package io.ployer.engine;

import io.ployer.api.Ployer;
import io.ployer.engine.backup.BackupArchive;
import io.ployer.seam.ServerSeam;
import io.ployer.seam.ServerSeam.RestoredBackup;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The engine's entry for {@link ServerSeam#of} and {@link ServerSeam#restoreBackup}, registered in
 * {@code META-INF/services/io.ployer.seam.ServerSeam$Provider}; public only because
 * {@code ServiceLoader} instantiates it.
 */
public final class ServerSeamProvider implements ServerSeam.Provider {
    /** For {@code ServiceLoader}. */
    public ServerSeamProvider() {
    }

    @Override
    public Optional<ServerSeam> seamOf(Ployer ployer) {
        return ployer instanceof PloyerEngine engine ? Optional.of(engine.serverSeam()) : Optional.empty();
    }

    @Override
    public RestoredBackup restoreBackup(Path archive, Path dataDirectory, boolean force, boolean keysConfigured,
                                        Consumer<Path> openStaged) {
        BackupArchive.Manifest manifest = BackupArchive.restore(archive, dataDirectory, force, keysConfigured, openStaged);
        return new RestoredBackup(manifest.ployerVersion(), manifest.createdAt(), manifest.keyInArchive());
    }

    @Override
    public ServerSeam.KeyRotation rotateKey(Path dataDirectory, String configuredKeys, java.util.function.Supplier<Ployer> open) {
        return KeyFileRotation.rotate(dataDirectory, configuredKeys, open);
    }
}
