package io.ployer.engine.deploy;

import java.time.Duration;

/**
 * The deployment pipeline's settings (read by {@code EngineConfig}; they live with the pipeline so that
 * the engine's root package depends on {@code deploy} and not the other way round).
 *
 * @param maxConcurrentBuilds builds that may run at once
 * @param cloneTimeout        time allowed for the clone step
 * @param buildTimeout        time allowed for the build step
 * @param startTimeout        time allowed for the container to start
 * @param healthTimeout       time allowed for the health gate
 * @param drainPeriod         how long the old container keeps running after the switch
 * @param stopTimeout         grace period of a container stop before it is killed
 * @param keepImages          images kept per application for rollback
 * @param logLimitBytes       stored log size per deployment
 */
public record DeploySettings(int maxConcurrentBuilds, Duration cloneTimeout, Duration buildTimeout,
                             Duration startTimeout, Duration healthTimeout, Duration drainPeriod,
                             Duration stopTimeout, int keepImages, long logLimitBytes) {
}
