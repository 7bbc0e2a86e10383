package io.ployer.engine.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.PloyerException;
import io.ployer.api.database.DatabaseEngine;
import io.ployer.api.template.ServiceTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Templates are Compose files with Ployer's extensions: the bundled ones parse, bad ones are refused with a sentence. */
class TemplateCatalogueTest {
    @TempDir
    Path directory;

    @Test
    void theBundledTemplatesParseAndADirectoryAddsMore() throws Exception {
        Files.writeString(directory.resolve("cache-only.yaml"), "services:\n  c:\n    image: redis:7\n    x-ployer-database: redis\n");
        Files.writeString(directory.resolve("broken.yaml"), "services:\n  c:\n    image: redis:7\n    x-ployer-database: oracle\n");
        TemplateCatalogue catalogue = TemplateCatalogue.load(directory);
        assertThat(catalogue.list()).extracting(ServiceTemplate::name)
                .containsExactly("cache-only", "cached-site", "key-value", "postgres", "s3-store", "static-files");
        ServiceTemplate site = catalogue.find("cached-site").orElseThrow().template();
        assertThat(site.secrets()).containsExactly("SESSION_SECRET");
        assertThat(site.services()).extracting(ServiceTemplate.Service::name, ServiceTemplate.Service::kind, ServiceTemplate.Service::port)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("web", "application", 8080),
                        org.assertj.core.groups.Tuple.tuple("cache", "database", null));
        assertThat(catalogue.find("cached-site").orElseThrow().databases()).containsExactly(Map.entry("cache", DatabaseEngine.REDIS));
    }

    @Test
    void theImageSettingReplacesOneServicesImageAndNoOther() {
        TemplateCatalogue catalogue = TemplateCatalogue.load(directory, Map.of("s3-store.s3", "local/s3proxy:1",
                "cached-site.web", "local/caddy:2"));
        assertThat(catalogue.find("s3-store").orElseThrow().template().services()).singleElement()
                .extracting(ServiceTemplate.Service::image).isEqualTo("local/s3proxy:1");
        assertThat(catalogue.find("cached-site").orElseThrow().template().services()).extracting(ServiceTemplate.Service::image)
                .containsExactly("local/caddy:2", "redis:7");
        assertThat(TemplateCatalogue.load(directory).find("s3-store").orElseThrow().template().services()).singleElement()
                .extracting(ServiceTemplate.Service::image).isEqualTo("andrewgaul/s3proxy:latest");
    }

    @Test
    void aTemplateWithAnUnknownEngineOrAMissingDependencyIsRefusedWithASentence() {
        assertThatThrownBy(() -> TemplateCatalogue.parse("bad", "services:\n  c:\n    image: x:1\n    x-ployer-database: oracle\n"))
                .isInstanceOf(PloyerException.class).hasMessageContaining("bad: service c has x-ployer-database oracle");
        assertThatThrownBy(() -> TemplateCatalogue.parse("lonely", "services:\n  web:\n    image: x:1\n    depends_on: [db]\n"))
                .isInstanceOf(PloyerException.class).hasMessageContaining("depends_on names db, which is not a service");
        assertThatThrownBy(() -> TemplateCatalogue.parse("built", "services:\n  web:\n    build: .\n"))
                .isInstanceOf(PloyerException.class).hasMessageContaining("needs an image");
    }

    @Test
    void generatedSecretsReplaceTheirReferencesAndNothingElse() {
        assertThat(DefaultTemplateService.interpolate("a ${TOKEN} b ${OTHER} $${TOKEN}", Map.of("TOKEN", "s3cr$t")))
                .isEqualTo("a s3cr$t b ${OTHER} $s3cr$t");
        assertThat(DefaultTemplateService.tag("ployer/caddy-static:latest")).isEqualTo("latest");
        assertThat(DefaultTemplateService.tag("registry:5000/redis")).isNull();
        assertThat(DefaultTemplateService.jsonArray(List.of("sh", "-c", "echo \"hi\""))).isEqualTo("[\"sh\",\"-c\",\"echo \\\"hi\\\"\"]");
    }
}
