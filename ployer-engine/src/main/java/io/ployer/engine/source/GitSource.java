package io.ployer.engine.source;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.spi.plugin.Cancellation;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * Brings a repository's branch (or an exact commit of it) into a workspace with JGit: a shallow
 * single-branch clone the first time, a fetch into the same workspace afterwards, then a hard
 * reset to the commit. Credentials are an https token or an SSH deploy key held in memory; they
 * never reach a URL, a log line or a file others can read.
 */
public final class GitSource {

    /**
     * What to check out.
     *
     * @param url            repository URL (already validated)
     * @param branch         branch
     * @param commitSha      exact commit, or {@code null} for the branch head
     * @param workspace      the app's workspace directory (reused across deployments)
     * @param token          https token, or {@code null}
     * @param deployKey      OpenSSH private key, or {@code null}
     * @param sshDirectory   where known host keys are kept (accept-new policy)
     */
    public record CheckoutRequest(String url, String branch, String commitSha, Path workspace, String token,
                                  String deployKey, Path sshDirectory) {
        public CheckoutRequest {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(branch, "branch");
            Objects.requireNonNull(workspace, "workspace");
        }

        @Override
        public String toString() {
            return "CheckoutRequest[url=" + GitUrlRules.redactUrl(url) + ", branch=" + branch + ", commit=" + commitSha + "]";
        }
    }

    /**
     * What was checked out.
     *
     * @param directory     the work tree
     * @param commitSha     full commit id
     * @param commitMessage first line of the message
     * @param author        author name
     */
    public record CheckoutResult(Path directory, String commitSha, String commitMessage, String author) {
    }

    public CheckoutResult checkout(CheckoutRequest request, Consumer<String> log, Cancellation cancellation) {
        String shownUrl = GitUrlRules.redactUrl(request.url());
        SshdSessionFactory sshFactory = request.deployKey() == null ? null : sshFactory(request);
        try {
            Git git = openOrClone(request, shownUrl, log, cancellation, sshFactory);
            try (git) {
                Repository repository = git.getRepository();
                ObjectId target = resolveTarget(git, request, log, cancellation, sshFactory);
                git.reset().setMode(ResetCommand.ResetType.HARD).setRef(target.name()).call();
                git.clean().setCleanDirectories(true).setForce(true).setIgnore(false).call();
                try (RevWalk walk = new RevWalk(repository)) {
                    RevCommit commit = walk.parseCommit(target);
                    String message = commit.getShortMessage();
                    log.accept("Checked out " + target.abbreviate(7).name() + " " + message);
                    return new CheckoutResult(request.workspace(), target.name(), message, commit.getAuthorIdent().getName());
                }
            }
        } catch (GitAPIException | IOException | RuntimeException e) {
            if (cancellation.isCancelled()) {
                throw new PloyerException(StandardErrorCode.CANCELLED, "cancelled while checking out " + shownUrl);
            }
            if (e instanceof PloyerException ployerException) {
                throw ployerException;
            }
            throw new PloyerException(StandardErrorCode.GIT_FAILURE, describe(e, request, shownUrl));
        } finally {
            if (sshFactory != null) {
                sshFactory.close();
            }
        }
    }

    private Git openOrClone(CheckoutRequest request, String shownUrl, Consumer<String> log, Cancellation cancellation,
                            SshdSessionFactory sshFactory) throws GitAPIException, IOException {
        Path workspace = request.workspace();
        if (Files.isDirectory(workspace.resolve(".git"))) {
            try {
                Git git = Git.open(workspace.toFile());
                String origin = git.getRepository().getConfig().getString("remote", "origin", "url");
                if (request.url().equals(origin)) {
                    return git;
                }
                git.close();
                log.accept("The repository URL changed: cloning afresh");
            } catch (IOException | RuntimeException corrupt) {
                log.accept("The workspace is damaged (" + corrupt.getClass().getSimpleName() + "): cloning afresh");
            }
        }
        deleteRecursively(workspace);
        Files.createDirectories(workspace.getParent());
        log.accept("Cloning " + shownUrl + " branch " + request.branch());
        var clone = Git.cloneRepository()
                .setURI(request.url())
                .setDirectory(workspace.toFile())
                .setBranch(request.branch())
                .setBranchesToClone(List.of("refs/heads/" + request.branch()))
                .setCloneAllBranches(false)
                .setNoCheckout(true)
                .setProgressMonitor(monitor(log, cancellation));
        if (request.commitSha() == null) {
            clone.setDepth(1);
        }
        authenticate(clone, request, sshFactory);
        return clone.call();
    }

    private ObjectId resolveTarget(Git git, CheckoutRequest request, Consumer<String> log, Cancellation cancellation,
                                   SshdSessionFactory sshFactory) throws GitAPIException, IOException {
        String remoteRef = "refs/remotes/origin/" + request.branch();
        var fetch = git.fetch().setRemote("origin")
                .setRefSpecs(new RefSpec("+refs/heads/" + request.branch() + ":" + remoteRef))
                .setProgressMonitor(monitor(log, cancellation));
        if (request.commitSha() == null && git.getRepository().getObjectDatabase() != null
                && Files.exists(git.getRepository().getDirectory().toPath().resolve("shallow"))) {
            fetch.setDepth(1);
        } else if (request.commitSha() != null) {
            fetch.setUnshallow(Files.exists(git.getRepository().getDirectory().toPath().resolve("shallow")));
        }
        authenticate(fetch, request, sshFactory);
        fetch.call();
        Repository repository = git.getRepository();
        if (request.commitSha() == null) {
            ObjectId head = repository.resolve(remoteRef);
            if (head == null) {
                throw new PloyerException(StandardErrorCode.GIT_FAILURE, "branch '" + request.branch() + "' not found");
            }
            return head;
        }
        ObjectId commit = repository.resolve(request.commitSha() + "^{commit}");
        if (commit == null) {
            throw new PloyerException(StandardErrorCode.GIT_FAILURE, "commit " + request.commitSha()
                    + " is not on branch '" + request.branch() + "'");
        }
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit wanted = walk.parseCommit(commit);
            RevCommit tip = walk.parseCommit(repository.resolve(remoteRef));
            if (!walk.isMergedInto(wanted, tip)) {
                throw new PloyerException(StandardErrorCode.GIT_FAILURE, "commit " + request.commitSha()
                        + " is not on branch '" + request.branch() + "'");
            }
        } catch (MissingObjectException e) {
            throw new PloyerException(StandardErrorCode.GIT_FAILURE, "commit " + request.commitSha() + " was not found");
        }
        return commit;
    }

    private static void authenticate(TransportCommand<?, ?> command, CheckoutRequest request, SshdSessionFactory sshFactory) {
        if (request.token() != null) {
            // The token travels as the password of a credentials provider, never inside the URL.
            CredentialsProvider credentials = new UsernamePasswordCredentialsProvider("x-access-token", request.token());
            command.setCredentialsProvider(credentials);
        }
        if (sshFactory != null) {
            command.setTransportConfigCallback(transport -> {
                if (transport instanceof SshTransport ssh) {
                    ssh.setSshSessionFactory(sshFactory);
                }
            });
        }
    }

    private static SshdSessionFactory sshFactory(CheckoutRequest request) {
        List<KeyPair> keys = new ArrayList<>();
        DeployKeys.loadKeyPairs(request.deployKey()).forEach(keys::add);
        Path sshDirectory = request.sshDirectory() != null ? request.sshDirectory()
                : request.workspace().toAbsolutePath().getParent().resolve(".ssh");
        try {
            Files.createDirectories(sshDirectory);
            // Trust on first use: a host seen for the first time is remembered in known_hosts there,
            // a host whose key changed is refused. Only the in-memory deploy key is offered.
            // JGit only records new host keys into a known_hosts file that already exists.
            Path knownHosts = sshDirectory.resolve("known_hosts");
            if (!Files.exists(knownHosts)) {
                Files.createFile(knownHosts);
            }
            Path config = sshDirectory.resolve("config");
            if (!Files.exists(config)) {
                // Not IdentitiesOnly: that would make JGit ignore the in-memory key provider.
                Files.writeString(config, "Host *\n  StrictHostKeyChecking accept-new\n");
            }
        } catch (IOException e) {
            throw new PloyerException(StandardErrorCode.GIT_FAILURE, "cannot prepare " + sshDirectory, e);
        }
        return new SshdSessionFactoryBuilder()
                .setHomeDirectory(sshDirectory.toFile())
                .setSshDirectory(sshDirectory.toFile())
                .setDefaultKeysProvider(directory -> keys)
                .setPreferredAuthentications("publickey")
                .build(null);
    }

    private static ProgressMonitor monitor(Consumer<String> log, Cancellation cancellation) {
        return new ProgressMonitor() {
            private String task;

            @Override
            public void start(int totalTasks) {
            }

            @Override
            public void beginTask(String title, int totalWork) {
                task = title;
            }

            @Override
            public void update(int completed) {
            }

            @Override
            public void endTask() {
                if (task != null) {
                    log.accept(task + ": done");
                }
            }

            @Override
            public boolean isCancelled() {
                return cancellation.isCancelled();
            }

            @Override
            public void showDuration(boolean enabled) {
            }
        };
    }

    private static String describe(Exception e, CheckoutRequest request, String shownUrl) {
        String message = String.valueOf(e.getMessage());
        if (request.token() != null) {
            message = message.replace(request.token(), "********");
        }
        message = GitUrlRules.redactUrl(message.replace(request.url(), shownUrl));
        String lower = message.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("auth") || lower.contains("not authorized") || lower.contains("permission denied")
                || lower.contains("cannot log in")) {
            return "authentication failed for " + shownUrl + " (check the deploy key or token)";
        }
        if (e instanceof InvalidRemoteException || lower.contains("not found") && lower.contains("repository")
                || lower.contains("does not appear to be a git repository") || lower.contains("not a git repository")) {
            return "repository not found: " + shownUrl;
        }
        if (lower.contains("remote branch") && lower.contains("not found") || lower.contains("couldn't find remote ref")) {
            return "branch '" + request.branch() + "' not found in " + shownUrl;
        }
        if (e instanceof TransportException) {
            return "could not reach " + shownUrl + ": " + message;
        }
        return "git failed for " + shownUrl + ": " + message;
    }

    static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                File file = path.toFile();
                if (!file.delete() && file.exists()) {
                    throw new IOException("cannot delete " + path);
                }
            }
        }
    }
}
