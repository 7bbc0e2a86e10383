package io.ployer.engine.source;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.application.DeployKey;
import io.ployer.api.application.KeyAlgorithm;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.crypto.util.OpenSSHPrivateKeyUtil;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;

/**
 * Makes deploy key pairs with BouncyCastle: Ed25519 by default, RSA-4096 on request. The private
 * half is written in the OpenSSH format ({@code -----BEGIN OPENSSH PRIVATE KEY-----} for Ed25519,
 * PKCS#1 PEM for RSA, both read by OpenSSH and JGit), the public half as an OpenSSH line, with the
 * {@code SHA256:} fingerprint {@code ssh-keygen -l} prints.
 */
public final class DeployKeys {

    private DeployKeys() {
    }

    /** A new key pair for an application; the private half is plain (the caller encrypts it). */
    public static DeployKey generate(String applicationId, String comment, KeyAlgorithm algorithm, Clock clock) {
        SecureRandom random = new SecureRandom();
        AsymmetricCipherKeyPair pair;
        String type;
        if (algorithm == KeyAlgorithm.RSA_4096) {
            RSAKeyPairGenerator generator = new RSAKeyPairGenerator();
            generator.init(new RSAKeyGenerationParameters(java.math.BigInteger.valueOf(65537), random, 4096, 112));
            pair = generator.generateKeyPair();
            type = "ssh-rsa";
        } else {
            Ed25519KeyPairGenerator generator = new Ed25519KeyPairGenerator();
            generator.init(new Ed25519KeyGenerationParameters(random));
            pair = generator.generateKeyPair();
            type = "ssh-ed25519";
        }
        try {
            byte[] publicBlob = OpenSSHPublicKeyUtil.encodePublicKey(pair.getPublic());
            String publicLine = type + " " + Base64.getEncoder().encodeToString(publicBlob) + " " + comment;
            String privatePem = privatePem(pair.getPrivate(), algorithm);
            String fingerprint = "SHA256:" + Base64.getEncoder().withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(publicBlob));
            return new DeployKey(applicationId, algorithm, publicLine, privatePem, fingerprint, clock.instant());
        } catch (IOException | GeneralSecurityException e) {
            throw new PloyerException(StandardErrorCode.INTERNAL_ERROR, "could not encode the deploy key", e);
        }
    }

    private static String privatePem(AsymmetricKeyParameter privateKey, KeyAlgorithm algorithm) throws IOException {
        byte[] encoded = OpenSSHPrivateKeyUtil.encodePrivateKey(privateKey);
        String label = algorithm == KeyAlgorithm.RSA_4096 ? "RSA PRIVATE KEY" : "OPENSSH PRIVATE KEY";
        String body = Base64.getMimeEncoder(70, new byte[] {'\n'}).encodeToString(encoded);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    /** Reads an OpenSSH / PEM private key into a key pair, for authenticating a clone. */
    public static Iterable<KeyPair> loadKeyPairs(String privateKey) {
        try {
            return org.apache.sshd.common.util.security.SecurityUtils.loadKeyPairIdentities(null,
                    () -> "deploy key", new java.io.ByteArrayInputStream(privateKey.getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
                    null);
        } catch (IOException | GeneralSecurityException e) {
            throw new PloyerException(StandardErrorCode.GIT_FAILURE, "the deploy key cannot be read", e);
        }
    }
}
