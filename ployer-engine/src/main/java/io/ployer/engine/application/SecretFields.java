package io.ployer.engine.application;

/** The associated-data field names secrets are encrypted under (changing one makes old rows unreadable). */
public final class SecretFields {
    /** Deploy key private half. */
    public static final String DEPLOY_KEY = "deploy_key";
    /** Webhook shared secret. */
    public static final String WEBHOOK_SECRET = "webhook_secret";
    /** Https git token. */
    public static final String GIT_TOKEN = "git_token";
    /** Server SSH private key. */
    public static final String SSH_PRIVATE_KEY = "ssh_private_key";

    private SecretFields() {
    }

    /** The field of an environment variable's value. */
    public static String envVar(String key) {
        return "env:" + key;
    }
}
