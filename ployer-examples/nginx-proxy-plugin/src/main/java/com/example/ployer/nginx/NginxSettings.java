package com.example.ployer.nginx;

import java.nio.file.Path;
import java.time.Duration;

/** The plugin's settings, checked. {@code prefix} null: inside the plugin's data directory. */
record NginxSettings(Path binary, Path prefix, String listenHost, int httpPort, int controlPort, Duration reloadTimeout,
                     boolean stopOnClose) {
}
