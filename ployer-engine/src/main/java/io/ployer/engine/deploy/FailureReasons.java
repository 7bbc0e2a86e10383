package io.ployer.engine.deploy;

import io.ployer.api.ErrorCode;
import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.container.ContainerInfo;
import io.ployer.spi.runtime.ContainerRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns whatever stopped a deployment into the reason a person reads: a sentence, never a Java
 * class name, a stack trace or a component's raw JSON answer. The raw detail goes to the server log
 * (the pipeline logs it); this class only decides the words.
 */
final class FailureReasons {
    /** {@code java.io.IOException}, {@code io.netty.Foo$Bar}. */
    private static final Pattern QUALIFIED_CLASS = Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.){1,}[A-Z][A-Za-z0-9_$]*\\b");
    /** {@code IOException}, {@code UnresolvedAddressException}, {@code NoSuchFileError}. */
    private static final Pattern SIMPLE_CLASS = Pattern.compile("\\b[A-Z][A-Za-z0-9]*(?:Exception|Error|Throwable)\\b");
    /** {@code DefaultConnectFuture[...]}, {@code Foo@1a2b3c}: an object's toString(). */
    private static final Pattern OBJECT_STRING = Pattern.compile("\\b[A-Z][A-Za-z0-9]*(?:\\[[^\\]]*\\]|@[0-9a-f]{4,})");
    /** Docker's {@code Status 400: {"message":"..."}}. */
    private static final Pattern STATUS_PREFIX = Pattern.compile("\\bStatus \\d{3}:\\s*");
    private static final Pattern JSON_MESSAGE = Pattern.compile("\\{[^{}]*\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"[^{}]*\\}");
    private static final Pattern ANY_JSON = Pattern.compile("\\{\\s*\"[^{}]*\\}");
    /** An exception's name between a colon and its own message. */
    private static final Pattern NAMED_CAUSE = Pattern.compile(
            "(:\\s+)(?:[a-z][a-z0-9_]*\\.)*[A-Z][A-Za-z0-9_$]*(?:Exception|Error):\\s+(?=\\S)");
    /** Exit code of a process killed with SIGKILL: what a build step reports when the engine stops under it. */
    private static final Pattern KILLED = Pattern.compile("non-zero code: 137\\b|exit(?:ed)? (?:with )?code 137\\b");

    /** Whether the container engine went away while a deployment ran. */
    enum RuntimeLoss {
        /** It answers and nothing says it restarted. */
        NONE,
        /** It did not answer right after the failure. */
        UNREACHABLE,
        /** It answers, but the containers it ran were started again after the deployment began. */
        RESTARTED
    }

    private FailureReasons() {
    }

    /**
     * The reason stored on a failed deployment.
     *
     * @param error what stopped the run
     * @param step  the status the deployment was in
     * @param loss  whether the container engine went away meanwhile
     */
    static String describe(Throwable error, DeploymentStatus step, RuntimeLoss loss) {
        String during = step == null ? "the deployment" : step.name();
        if (loss == RuntimeLoss.UNREACHABLE) {
            return "the container engine restarted or became unreachable during " + during
                    + ", which stopped the deployment; the previous version keeps serving. Deploy again once it answers";
        }
        if (loss == RuntimeLoss.RESTARTED) {
            return "the container engine restarted during " + during
                    + ", which stopped the deployment; the previous version keeps serving. Deploy again";
        }
        if (!(error instanceof PloyerException ployerException)) {
            return "an internal error stopped the deployment during " + during + "; the details are in the server log";
        }
        String cleaned = clean(String.valueOf(ployerException.getMessage()));
        if (cleaned.isBlank()) {
            return generic(ployerException.code(), during);
        }
        return cleaned;
    }

    /** The message without raw JSON, HTTP status prefixes or Java names; blank when nothing readable is left. */
    static String clean(String message) {
        String text = STATUS_PREFIX.matcher(message).replaceAll("");
        Matcher json = JSON_MESSAGE.matcher(text);
        StringBuilder unwrapped = new StringBuilder();
        while (json.find()) {
            String inner = json.group(1).replace("\\\"", "\"").replace("\\n", " ").replace("\\\\", "\\");
            json.appendReplacement(unwrapped, Matcher.quoteReplacement(inner.strip()));
        }
        json.appendTail(unwrapped);
        text = ANY_JSON.matcher(unwrapped.toString()).replaceAll("").strip();
        // "..., last: HttpConnectTimeoutException: HTTP connect timed out" -> "..., last: HTTP connect timed out"
        text = NAMED_CAUSE.matcher(text).replaceAll("$1");
        int first = firstTechnicalName(text);
        if (first >= 0) {
            // Keep what was said before the technical part: "X does not answer: ConnectException ..." -> "X does not answer".
            int colon = text.lastIndexOf(": ", first);
            int paren = text.lastIndexOf(" (", first);
            int cut = Math.max(colon, paren);
            String prefix = cut > 0 ? text.substring(0, cut).strip() : "";
            if (prefix.length() < 8 || firstTechnicalName(prefix) >= 0) {
                return "";
            }
            text = prefix + " (the details are in the server log)";
        }
        return text.replaceAll("\\s+", " ").strip();
    }

    /** Where the first Java class name or object string starts, or -1. */
    static int firstTechnicalName(String text) {
        int first = -1;
        for (Pattern pattern : List.of(QUALIFIED_CLASS, SIMPLE_CLASS, OBJECT_STRING)) {
            Matcher matcher = pattern.matcher(text);
            if (matcher.find() && (first < 0 || matcher.start() < first)) {
                first = matcher.start();
            }
        }
        return first;
    }

    private static String generic(ErrorCode code, String during) {
        if (code instanceof StandardErrorCode standard) {
            switch (standard) {
                case RUNTIME_FAILURE:
                    return "the container engine failed during " + during + "; the details are in the server log";
                case PROXY_FAILURE:
                    return "the reverse proxy did not accept the new route; the previous version keeps serving "
                            + "and the details are in the server log";
                case GIT_FAILURE:
                    return "the repository could not be fetched; the details are in the server log";
                case BUILD_FAILURE:
                    return "the build failed; its output is in the deployment log";
                case STORAGE_FAILURE:
                    return "Ployer could not write to its database during " + during + "; the details are in the server log";
                case TIMEOUT:
                    return "a step took too long during " + during;
                default:
                    break;
            }
        }
        return "the deployment failed during " + during + "; the details are in the server log";
    }

    /** Whether a failure looks like one the container engine's loss can cause (worth asking it). */
    static boolean mayBeRuntimeLoss(Throwable error) {
        if (!(error instanceof PloyerException ployerException)) {
            return true;
        }
        ErrorCode code = ployerException.code();
        if (code == StandardErrorCode.RUNTIME_FAILURE || code == StandardErrorCode.INTERNAL_ERROR) {
            return true;
        }
        return code == StandardErrorCode.BUILD_FAILURE
                && KILLED.matcher(String.valueOf(ployerException.getMessage()).toLowerCase(Locale.ROOT)).find();
    }

    /** How long to keep asking the engine: a few seconds after a SIGKILL-like exit, once otherwise. */
    static Duration watchAfter(Throwable error) {
        return error instanceof PloyerException && KILLED.matcher(String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT)).find()
                ? Duration.ofSeconds(3) : Duration.ZERO;
    }

    /**
     * Asks the container engine, right after a failure, whether it went away: unreachable now (asked a
     * few times over {@code watch}, since an engine that is shutting down still answers for a moment), or
     * answering but with the serving containers started again after {@code since} (it restarted).
     * Waits between asks on the run's {@code token}, so a cancel or an engine stop ends the watch.
     */
    static RuntimeLoss probeRuntime(ContainerRuntime runtime, Instant since, List<String> servingContainers, Duration watch,
                                    CancellationToken token) {
        long deadline = System.nanoTime() + watch.toNanos();
        do {
            if (!answers(runtime)) {
                return RuntimeLoss.UNREACHABLE;
            }
            if (restartedSince(runtime, since, servingContainers)) {
                return RuntimeLoss.RESTARTED;
            }
            if (System.nanoTime() >= deadline) {
                break;
            }
            try {
                if (token.await(Duration.ofMillis(500))) {
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        } while (true);
        return RuntimeLoss.NONE;
    }

    private static boolean answers(ContainerRuntime runtime) {
        try {
            CompletableFuture.supplyAsync(runtime::ping).get(5, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean restartedSince(ContainerRuntime runtime, Instant since, List<String> servingContainers) {
        if (since == null) {
            return false;
        }
        for (String containerId : servingContainers) {
            try {
                Optional<ContainerInfo> info = runtime.inspectContainer(containerId);
                if (info.isPresent() && info.get().startedAt() != null && info.get().startedAt().isAfter(since)) {
                    return true;
                }
            } catch (RuntimeException e) {
                return false;
            }
        }
        return false;
    }
}
