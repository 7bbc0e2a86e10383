package io.ployer.plugin.docker.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Image labels in one build step. Docker's classic builder turns the {@code labels} of the build API
 * into one {@code LABEL} step per label appended after the Dockerfile's last instruction, each
 * committed through an intermediate container, on every build whose earlier steps changed (~0.45 s
 * each: three labels ~1.35 s per changed build). Instead the build context gets a copy of the
 * Dockerfile with one {@code LABEL} instruction carrying all of them at its end: one step where
 * there were three. It stays at the end (not after {@code FROM}, where the build cache would answer
 * it): earlier, every intermediate container of the build (a {@code RUN}) would carry the labels and
 * look like a container of the application to whatever lists containers by them.
 *
 * <p>The copy travels in the context tar as {@link #DOCKERFILE}; the context's {@code .dockerignore}
 * gets a line naming it (and itself, when the application has none), so dockerd drops both from the
 * context after reading them and a {@code COPY . .} sees exactly the application's files.
 */
final class LabelledContext {
    /** The labelled Dockerfile's name in the context. */
    static final String DOCKERFILE = ".ployer-labelled.Dockerfile";
    private static final Pattern ESCAPE_DIRECTIVE = Pattern.compile("^#\\s*escape\\s*=\\s*(\\S)\\s*$", Pattern.CASE_INSENSITIVE);
    private static final Pattern DIRECTIVE = Pattern.compile("^#\\s*[a-zA-Z]+\\s*=.*$");

    private LabelledContext() {
    }

    /**
     * The Dockerfile with one {@code LABEL} instruction (labels in key order) after its last
     * instruction; null when it has no {@code FROM} or ends inside a continued instruction (the
     * build API's labels are used then, and the build reports its own error).
     */
    static String labelled(String dockerfile, Map<String, String> labels) {
        List<String> lines = new ArrayList<>(List.of(dockerfile.split("\r?\n", -1)));
        char escape = '\\';
        for (String line : lines) {
            Matcher directive = ESCAPE_DIRECTIVE.matcher(line.strip());
            if (directive.matches()) {
                escape = directive.group(1).charAt(0);
                break;
            }
            if (!DIRECTIVE.matcher(line.strip()).matches()) {
                break;
            }
        }
        boolean from = false;
        boolean continued = false;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue; // inside a continued instruction too: blank and comment lines belong to it
            }
            if (!continued && line.split("\\s+", 2)[0].equalsIgnoreCase("FROM")) {
                from = true;
            }
            continued = line.endsWith(String.valueOf(escape));
        }
        if (!from || continued) {
            return null;
        }
        StringBuilder label = new StringBuilder("LABEL");
        new TreeMap<>(labels).forEach((key, value) -> label.append(' ').append(quote(key)).append('=').append(quote(value)));
        String body = dockerfile.endsWith("\n") ? dockerfile : dockerfile + "\n";
        return body + label + "\n";
    }

    private static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ") + '"';
    }

    /**
     * Writes to {@code target} the context tar docker-java made ({@code contextTar}, plain or gzip),
     * with {@link #DOCKERFILE} holding {@code labelledDockerfile} and the {@code .dockerignore} naming it.
     */
    static void write(InputStream contextTar, String labelledDockerfile, OutputStream target) throws IOException {
        InputStream buffered = new BufferedInputStream(contextTar);
        buffered.mark(2);
        boolean gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
        buffered.reset();
        String ignore = null;
        try (TarArchiveInputStream in = new TarArchiveInputStream(gzip ? new GzipCompressorInputStream(buffered) : buffered);
             TarArchiveOutputStream out = new TarArchiveOutputStream(target)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            TarArchiveEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                String name = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
                if (name.equals(".dockerignore")) {
                    ignore = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    continue;
                }
                if (name.equals(DOCKERFILE)) {
                    continue;
                }
                out.putArchiveEntry(entry);
                if (!entry.isDirectory()) {
                    in.transferTo(out);
                }
                out.closeArchiveEntry();
            }
            String ignoreLines = (ignore == null ? ".dockerignore\n" : ignore + (ignore.endsWith("\n") || ignore.isEmpty() ? "" : "\n"))
                    + DOCKERFILE + "\n";
            add(out, ".dockerignore", ignoreLines.getBytes(StandardCharsets.UTF_8));
            add(out, DOCKERFILE, labelledDockerfile.getBytes(StandardCharsets.UTF_8));
            out.finish();
        }
    }

    private static void add(TarArchiveOutputStream out, String name, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        entry.setMode(0100644);
        entry.setModTime(0);
        out.putArchiveEntry(entry);
        out.write(content);
        out.closeArchiveEntry();
    }

    /** A temporary file for the context tar, deleted by the caller. */
    static Path temporaryTar() throws IOException {
        return Files.createTempFile("ployer-context-", ".tar");
    }
}
