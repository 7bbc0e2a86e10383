package io.ployer.plugin.notifiers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ployer.spi.notify.NotifierFactory;
import java.io.IOException;

/** The bundled factories by name, and JSON reading for the payload assertions. */
final class Factories {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Factories() {
    }

    static NotifierFactory named(String name) {
        return new NotifiersPlugin().notifierFactories().stream().filter(factory -> factory.name().equals(name)).findFirst()
                .orElseThrow();
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
