package io.ployer.api.application;

/** Algorithm of a deploy key. */
public enum KeyAlgorithm {
    /** Ed25519, the default. */
    ED25519,
    /** RSA with 4096-bit modulus, for hosts that do not take Ed25519. */
    RSA_4096
}
