package io.ployer.api.account;

/** What an API key may do. */
public enum ApiKeyScope {
    READ,
    WRITE,
    DEPLOY
}
