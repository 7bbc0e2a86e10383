package io.ployer.api.deployment;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of a deployment's log (build output, engine steps). Already redacted: it never holds a
 * secret value.
 *
 * @param deploymentId the deployment
 * @param sequence     position in the log, from 0
 * @param stream       {@code build}, {@code deploy} or {@code system}
 * @param line         the text, without line terminator
 * @param at           when it was produced
 */
public record DeploymentLogLine(String deploymentId, long sequence, String stream, String line, Instant at) {
    public DeploymentLogLine {
        Objects.requireNonNull(deploymentId, "deploymentId");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(line, "line");
        Objects.requireNonNull(at, "at");
    }
}
