package io.ployer.plugin.docker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What Docker said, in words: no {@code Status 400: {"message":...}}, no Java class names. */
class DockerFailureTextTest {
    @Test
    void dockersJsonAnswerBecomesItsMessage() {
        assertThat(DockerContainerRuntime.readable("Status 400: {\"message\":\"invalid reference format: repository name "
                + "must be lowercase\"}\n")).isEqualTo("invalid reference format: repository name must be lowercase");
        assertThat(DockerContainerRuntime.readable("Status 404: {\"message\":\"No such image: \\\"ployer/x:1\\\"\"}"))
                .isEqualTo("No such image: \"ployer/x:1\"");
    }

    @Test
    void aLostSocketSaysTheEngineDidNotAnswer() {
        assertThat(DockerContainerRuntime.readable("java.io.IOException: Broken pipe")).isEqualTo("the container engine did not answer");
        assertThat(DockerContainerRuntime.readable("IOException: Connection reset")).isEqualTo("the container engine did not answer");
        assertThat(DockerContainerRuntime.readable(null)).isEqualTo("the container engine did not answer");
        assertThat(DockerContainerRuntime.readable("conflict: unable to remove")).isEqualTo("conflict: unable to remove");
    }
}
