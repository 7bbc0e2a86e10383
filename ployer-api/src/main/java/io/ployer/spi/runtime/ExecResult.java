package io.ployer.spi.runtime;

/**
 * How a command run in a container ended.
 *
 * @param exitCode   the command's exit code
 * @param errorTail  the last part of what it wrote to its standard error (for a failure's reason)
 */
public record ExecResult(int exitCode, String errorTail) {
    public ExecResult {
        errorTail = errorTail == null ? "" : errorTail;
    }

    /** Whether the command exited with 0. */
    public boolean succeeded() {
        return exitCode == 0;
    }
}
