package io.ployer.api.application;

import java.time.Instant;
import java.util.Objects;

/**
 * An SSH key pair an application uses to clone its repository. The private half is secret: stored
 * encrypted and never returned by the API (only the engine reads it, to clone).
 *
 * @param applicationId owning application
 * @param algorithm     key algorithm
 * @param publicKey     OpenSSH public key line, to paste into the git host
 * @param privateKey    OpenSSH private key (plain or encrypted depending on where the record is;
 *                      {@code null} in records handed to API callers)
 * @param fingerprint   SHA256 fingerprint of the public key
 * @param createdAt     creation time
 */
public record DeployKey(String applicationId, KeyAlgorithm algorithm, String publicKey, String privateKey,
                        String fingerprint, Instant createdAt) {
    public DeployKey {
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** A copy without the private half. */
    public DeployKey publicOnly() {
        return new DeployKey(applicationId, algorithm, publicKey, null, fingerprint, createdAt);
    }

    public DeployKey withPrivateKey(String key) {
        return new DeployKey(applicationId, algorithm, publicKey, key, fingerprint, createdAt);
    }

    @Override
    public String toString() {
        return "DeployKey[applicationId=" + applicationId + ", algorithm=" + algorithm + ", fingerprint=" + fingerprint + "]";
    }
}
