package io.ployer.api;

/**
 * How {@link Ployer#builder()} finds the engine: the engine module lists one implementation in
 * {@code META-INF/services/io.ployer.api.PloyerBuilderProvider}. Embedders never implement it.
 */
public interface PloyerBuilderProvider {
    /** A fresh builder. */
    PloyerBuilder newBuilder();
}
