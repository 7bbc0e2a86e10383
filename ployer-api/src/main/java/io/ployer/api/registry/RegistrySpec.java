package io.ployer.api.registry;

/**
 * What a registry is made or changed with. On change, a {@code null} field keeps the stored value and an
 * empty username or password removes it.
 *
 * @param url      host and optional port ({@code https://} and a trailing path are accepted and dropped)
 * @param username user name, or {@code null}
 * @param password password or token, or {@code null}; never logged, never returned
 */
public record RegistrySpec(String url, String username, String password) {
    @Override
    public String toString() {
        return "RegistrySpec[url=" + url + ", username=" + username + ", password=" + (password == null ? null : "********") + "]";
    }
}
