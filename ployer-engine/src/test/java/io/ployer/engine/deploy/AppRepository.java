package io.ployer.engine.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * A real git repository of a tiny web app on the local busybox image: it serves its version at
 * {@code /version.txt} and the {@code GREETING} env var at {@code /greeting.txt}.
 */
final class AppRepository {
    private final Path directory;

    private AppRepository(Path directory) {
        this.directory = directory;
    }

    static AppRepository create(Path directory) {
        try {
            Git.init().setDirectory(directory.toFile()).setInitialBranch("main").call().close();
            return new AppRepository(directory);
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    String url() {
        return directory.toUri().toString();
    }

    /** Commits a version of the app; {@code extraBuildStep} is a Dockerfile line (e.g. {@code RUN false}) or empty. */
    RevCommit commitVersion(String version, String extraBuildStep) {
        return commit(version, "FROM ployer/busybox:latest\n"
                + (extraBuildStep.isEmpty() ? "" : extraBuildStep + "\n")
                + "COPY version.txt /www/version.txt\n"
                + "CMD [\"sh\", \"-c\", \"echo \\\"$GREETING\\\" > /www/greeting.txt; exec httpd -f -p 8080 -h /www\"]\n");
    }

    /** Commits a version whose container exits at once. */
    RevCommit commitCrashingVersion(String version) {
        return commit(version, "FROM ployer/busybox:latest\nCMD [\"sh\", \"-c\", \"echo crashing on purpose; exit 1\"]\n");
    }

    RevCommit commit(String version, String dockerfile) {
        try (Git git = Git.open(directory.toFile())) {
            Files.writeString(directory.resolve("version.txt"), version + "\n");
            Files.writeString(directory.resolve("Dockerfile"), dockerfile);
            git.add().addFilepattern(".").call();
            return git.commit().setMessage("version " + version).setAuthor("Test", "test@example.com")
                    .setCommitter("Test", "test@example.com").call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }
}
