package io.ployer.engine.database;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.storage.Storage;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.regex.Pattern;

/** Checks of a database's spec, project, public host and image before anything is created. */
final class DatabaseRules {
    private static final Pattern ADDRESS = Pattern.compile("[0-9.]{7,15}|[0-9A-Fa-f:]{2,39}");
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern IMAGE = Pattern.compile("[a-z0-9][a-z0-9._/:-]{0,199}");

    private DatabaseRules() {
    }

    /** Checks a spec's name, engine, version, image and limits (each problem a 400 naming its field); returns its limits. */
    static io.ployer.api.application.ResourceLimits validate(io.ployer.api.database.DatabaseSpec spec) {
        if (spec == null) {
            throw PloyerException.invalid("name", "a request body with name and engine is required");
        }
        if (spec.name() == null || !NAME.matcher(spec.name()).matches()) {
            throw PloyerException.invalid("name", "the name must be 1 to 63 lower-case letters, digits or dashes, starting with a letter or digit");
        }
        if (spec.engine() == null) {
            throw PloyerException.invalid("engine", "the engine must be one of postgresql, mysql, mariadb, redis, mongodb");
        }
        if (spec.version() != null && !VERSION.matcher(spec.version()).matches()) {
            throw PloyerException.invalid("version", "the version must be an image tag such as 15 or 10.11");
        }
        if (spec.image() != null && !IMAGE.matcher(spec.image()).matches()) {
            throw PloyerException.invalid("image", "the image must be a repository name without tag, such as postgres");
        }
        var limits = spec.limits() == null ? io.ployer.api.application.ResourceLimits.NONE : spec.limits();
        if (limits.memoryBytes() != null && limits.memoryBytes() < 64L * 1024 * 1024) {
            throw PloyerException.invalid("limits", "the memory limit must be at least 64 MiB");
        }
        if (limits.cpus() != null && (limits.cpus() <= 0 || limits.cpus() > 1024)) {
            throw PloyerException.invalid("limits", "the CPU limit must be more than 0 and at most 1024");
        }
        return limits;
    }

    /** The project id to use ({@code default} when absent); INVALID_ARGUMENT naming project_id when it names none. */
    static String project(Storage storage, String projectId) {
        String project = projectId == null ? io.ployer.api.access.Project.DEFAULT_ID : projectId;
        boolean exists;
        try {
            exists = project.length() <= 64 && storage.projects().find(project).isPresent();
        } catch (UnsupportedOperationException noProjects) {
            exists = io.ployer.api.access.Project.DEFAULT_ID.equals(project);
        }
        if (!exists) {
            throw PloyerException.invalid("project_id", "must name an existing project");
        }
        return project;
    }

    /**
     * The host address to publish on: {@code null} (the runtime's publish host, loopback by default) unless
     * one is named, which must be an IP address of one of this host's interfaces (or the wildcard
     * {@code 0.0.0.0}) and needs {@code public_port}.
     */
    static String publicHost(Boolean publicPort, String publicHost) {
        if (publicHost == null || publicHost.isBlank()) {
            return null;
        }
        if (!Boolean.TRUE.equals(publicPort)) {
            throw PloyerException.invalid("public_host", "public_host needs public_port: true");
        }
        String host = publicHost.strip();
        if (!ADDRESS.matcher(host).matches()) {
            throw PloyerException.invalid("public_host", "public_host must be an IP address of this host, such as 127.0.0.1");
        }
        try {
            InetAddress address = InetAddress.getByName(host);
            if (!address.isAnyLocalAddress() && NetworkInterface.getByInetAddress(address) == null) {
                throw PloyerException.invalid("public_host", "public_host " + host + " is not an address of any interface of this host");
            }
            return address.getHostAddress();
        } catch (java.net.UnknownHostException | SocketException e) {
            throw PloyerException.invalid("public_host", "public_host must be an IP address of this host, such as 127.0.0.1");
        }
    }

    /** INVALID_STATE (409) with what to do when the image is not on this host: Ployer does not pull database images here. */
    static void requireImage(ContainerRuntime runtime, String image, String field) {
        if (!runtime.imageExists(image)) {
            throw new PloyerException(StandardErrorCode.INVALID_STATE, "the image " + image + " is not on this host: pull or"
                    + " build it first (scripts/provision-test-env.sh builds local test images), or name another " + field
                    + " or version");
        }
    }

    /** The major version of a tag: what comes before the first dot or dash ({@code 15.4} → {@code 15}). */
    static String major(String version) {
        return version.split("[.-]", 2)[0];
    }

    /** The image reference without its tag. */
    static String repository(String image) {
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
    }
}
