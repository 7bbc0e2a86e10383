package io.ployer.api.application;

/**
 * A named volume Ployer made for an application that no longer exists or no longer lists it.
 *
 * @param name          the runtime's volume name
 * @param applicationId the application it belonged to
 * @param volumeName    the name the application gave it
 */
public record OrphanedVolume(String name, String applicationId, String volumeName) {
}
