package io.ployer.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.engine.deploy.FailureReasons.RuntimeLoss;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Failure reasons are sentences for people: no Java names, no raw JSON; the container engine's loss is named. */
class FailureReasonsTest {
    /** What a reason must never contain: a Java class or package name, a toString(), raw JSON, an HTTP status prefix. */
    private static final String RAW = "(?s).*(\\b[A-Z][A-Za-z0-9]*(Exception|Error)\\b|\\b(java|javax|io\\.netty|com\\.github)\\."
            + "|\\{\"|Status \\d{3}:|[A-Z][A-Za-z]+\\[[^\\]]*\\]).*";

    @Test
    void rawAnswersOfComponentsBecomeSentences() {
        List<PloyerException> raw = List.of(
                new PloyerException(StandardErrorCode.RUNTIME_FAILURE, "cannot create the container: Status 400: "
                        + "{\"message\":\"invalid reference format: repository name must be lowercase\"}"),
                new PloyerException(StandardErrorCode.PROXY_FAILURE, "Caddy's admin API at http://127.0.0.1:2019/ does not "
                        + "answer: ConnectException"),
                new PloyerException(StandardErrorCode.GIT_FAILURE, "cannot fetch: java.nio.channels.UnresolvedAddressException"),
                new PloyerException(StandardErrorCode.GIT_FAILURE, "DefaultConnectFuture[git@127.0.0.1/127.0.0.1:22]: Failed"),
                new PloyerException(StandardErrorCode.RUNTIME_FAILURE, "IOException: Broken pipe"),
                new PloyerException(StandardErrorCode.INVALID_STATE, "the app never became healthy: 4 failed health checks, "
                        + "last: HttpConnectTimeoutException: HTTP connect timed out"));
        for (PloyerException error : raw) {
            String reason = FailureReasons.describe(error, DeploymentStatus.STARTING, RuntimeLoss.NONE);
            assertThat(reason).as("from: " + error.getMessage()).doesNotMatch(RAW).isNotBlank();
        }
        assertThat(FailureReasons.describe(raw.get(0), DeploymentStatus.STARTING, RuntimeLoss.NONE))
                .isEqualTo("cannot create the container: invalid reference format: repository name must be lowercase");
        assertThat(FailureReasons.describe(raw.get(1), DeploymentStatus.SWITCHING, RuntimeLoss.NONE))
                .isEqualTo("Caddy's admin API at http://127.0.0.1:2019/ does not answer (the details are in the server log)");
        assertThat(FailureReasons.describe(raw.get(3), DeploymentStatus.CLONING, RuntimeLoss.NONE))
                .contains("repository could not be fetched");
        assertThat(FailureReasons.describe(raw.get(5), DeploymentStatus.HEALTH_CHECKING, RuntimeLoss.NONE))
                .isEqualTo("the app never became healthy: 4 failed health checks, last: HTTP connect timed out");
    }

    @Test
    void unexpectedErrorsNameNoClass() {
        String reason = FailureReasons.describe(new IllegalStateException("boom"), DeploymentStatus.BUILDING, RuntimeLoss.NONE);
        assertThat(reason).doesNotMatch(RAW).contains("internal error").contains("server log");
        assertThat(FailureReasons.describe(new IOException("x"), DeploymentStatus.BUILDING, RuntimeLoss.NONE)).doesNotMatch(RAW);
    }

    @Test
    void readableReasonsStayAsTheyAre() {
        PloyerException build = new PloyerException(StandardErrorCode.BUILD_FAILURE,
                "the build failed: The command '/bin/sh -c false' returned a non-zero code: 1");
        assertThat(FailureReasons.describe(build, DeploymentStatus.BUILDING, RuntimeLoss.NONE)).isEqualTo(build.getMessage());
    }

    @Test
    void aBuildKilledByTheEngineGoingAwayNamesTheEngine() {
        PloyerException killed = new PloyerException(StandardErrorCode.BUILD_FAILURE,
                "the build failed: The command '/bin/sh -c sleep 60' returned a non-zero code: 137");
        assertThat(FailureReasons.mayBeRuntimeLoss(killed)).isTrue();
        assertThat(FailureReasons.watchAfter(killed)).isPositive();
        String unreachable = FailureReasons.describe(killed, DeploymentStatus.BUILDING, RuntimeLoss.UNREACHABLE);
        assertThat(unreachable).contains("container engine restarted or became unreachable during BUILDING")
                .contains("previous version keeps serving").doesNotContain("137");
        assertThat(FailureReasons.describe(killed, DeploymentStatus.BUILDING, RuntimeLoss.RESTARTED))
                .contains("container engine restarted during BUILDING");
        assertThat(FailureReasons.mayBeRuntimeLoss(new PloyerException(StandardErrorCode.BUILD_FAILURE,
                "the build failed: returned a non-zero code: 1"))).isFalse();
    }
}
