package io.ployer.engine.plugin;

/** The extension points of the SPI. */
public enum PluginRole {
    STORAGE("storage"),
    RUNTIME("runtime"),
    BUILD("build"),
    PROXY("proxy"),
    GIT("git"),
    /** Notifiers: each a type of notification channel, configured per channel rather than here. */
    NOTIFIER("notifier");

    private final String key;

    PluginRole(String key) {
        this.key = key;
    }

    /** The configuration key and prefix of the role. */
    public String key() {
        return key;
    }
}
