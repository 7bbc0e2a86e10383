package io.ployer.api.application;

import java.util.List;

/** Persistent configuration files of applications (content encrypted, mounted read-only). */
public interface ConfigFileService {

    List<ConfigFile> files(String applicationId);

    /** Creates the file at {@code path}, or replaces its content; fails INVALID_ARGUMENT naming {@code path} or {@code content}. */
    ConfigFile putFile(String applicationId, String path, String content);

    /** Fails NOT_FOUND when the application has no such file. */
    void removeFile(String applicationId, String fileId);
}
