package io.ployer.plugin.docker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

/** Where the one LABEL instruction goes, and what the context tar carries. */
class LabelledContextTest {
    private static final Map<String, String> LABELS = new LinkedHashMap<>(Map.of("io.ployer.managed", "true", "io.ployer.app", "a1"));

    @Test
    void oneLabelInstructionEndsTheDockerfileInKeyOrder() {
        String dockerfile = "FROM builder-image AS build\nRUN make\nfrom ployer/busybox:latest\nCOPY --from=build /out /www\nCMD [\"x\"]\n";
        assertThat(LabelledContext.labelled(dockerfile, LABELS)).isEqualTo(dockerfile
                + "LABEL \"io.ployer.app\"=\"a1\" \"io.ployer.managed\"=\"true\"\n");
        assertThat(LabelledContext.labelled("FROM x", Map.of("k", "v"))).isEqualTo("FROM x\nLABEL \"k\"=\"v\"\n");
    }

    @Test
    void aDockerfileEndingInsideAContinuedInstructionIsLeftToTheBuildApi() {
        assertThat(LabelledContext.labelled("FROM x\nRUN a \\\n", Map.of("k", "v"))).isNull();
        assertThat(LabelledContext.labelled("FROM x\nRUN a \\\n  # a comment\n\n", Map.of("k", "v"))).isNull();
        // With the escape directive a backslash continues nothing.
        assertThat(LabelledContext.labelled("# escape=`\nFROM x\nRUN echo \\\n", Map.of("k", "v")))
                .isEqualTo("# escape=`\nFROM x\nRUN echo \\\nLABEL \"k\"=\"v\"\n");
        assertThat(LabelledContext.labelled("# escape=`\nFROM x\nRUN echo `\n", Map.of("k", "v"))).isNull();
    }

    @Test
    void aFromOnlyInsideAnotherInstructionDoesNotCount() {
        assertThat(LabelledContext.labelled("RUN echo \\\n  FROM nothing\n", Map.of("k", "v"))).isNull();
        assertThat(LabelledContext.labelled("RUN true\n", LABELS)).isNull();
        assertThat(LabelledContext.labelled("", LABELS)).isNull();
    }

    @Test
    void quotesAreEscaped() {
        assertThat(LabelledContext.labelled("FROM x", Map.of("k", "a\"b\\c"))).isEqualTo("FROM x\nLABEL \"k\"=\"a\\\"b\\\\c\"\n");
    }

    @Test
    void theTarCarriesTheCopyAndAnIgnoreFileNamingIt() throws Exception {
        Map<String, String> plain = read(write(Map.of("Dockerfile", "FROM x\n", "app/index.html", "hi")));
        assertThat(plain).containsEntry("Dockerfile", "FROM x\n").containsEntry("app/index.html", "hi")
                .containsEntry(LabelledContext.DOCKERFILE, "FROM x\nLABEL \"k\"=\"v\"\n")
                .containsEntry(".dockerignore", ".dockerignore\n" + LabelledContext.DOCKERFILE + "\n");
        Map<String, String> ignoring = read(write(Map.of("Dockerfile", "FROM x\n", ".dockerignore", "*.log\n!keep.log")));
        assertThat(ignoring).containsEntry(".dockerignore", "*.log\n!keep.log\n" + LabelledContext.DOCKERFILE + "\n");
    }

    private static byte[] write(Map<String, String> files) throws Exception {
        ByteArrayOutputStream context = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(context)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setSize(content.length);
                out.putArchiveEntry(entry);
                out.write(content);
                out.closeArchiveEntry();
            }
        }
        ByteArrayOutputStream labelled = new ByteArrayOutputStream();
        LabelledContext.write(new ByteArrayInputStream(context.toByteArray()),
                LabelledContext.labelled(files.get("Dockerfile"), Map.of("k", "v")), labelled);
        return labelled.toByteArray();
    }

    private static Map<String, String> read(byte[] tar) throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                assertThat(files).doesNotContainKey(entry.getName());
                files.put(entry.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return files;
    }
}
