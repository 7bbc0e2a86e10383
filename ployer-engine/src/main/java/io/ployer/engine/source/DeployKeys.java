package io.ployer.engine.source;

// PLACEHOLDER until the git-source branch merges.
import io.ployer.api.application.DeployKey;
import io.ployer.api.application.KeyAlgorithm;
import java.time.Clock;

public final class DeployKeys {
    private DeployKeys() { }
    public static DeployKey generate(String applicationId, String comment, KeyAlgorithm algorithm, Clock clock) {
        throw new UnsupportedOperationException();
    }
}
