package io.ployer.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.json.JsonMapper.Builder;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The server's one Jackson configuration: snake_case, ISO-8601 instants, strict about unknown fields
 * and about types: a number or a boolean is not text, text is not a number or a boolean, an empty
 * string is not a number, a boolean or an enum value (no scalar coercion of any kind).
 */
public final class JsonMapper {
    private JsonMapper() {
    }

    /** A mapper configured as the API speaks. */
    public static ObjectMapper create() {
        Builder builder = com.fasterxml.jackson.databind.json.JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .addModule(new JavaTimeModule())
                .addModule(new Jdk8Module())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.ALWAYS, JsonInclude.Include.USE_DEFAULTS));
        strict(builder, LogicalType.Textual, CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean);
        strict(builder, LogicalType.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean, CoercionInputShape.String,
                CoercionInputShape.EmptyString);
        // A whole number is a fine value of a decimal field ({"cpus": 1}).
        strict(builder, LogicalType.Float, CoercionInputShape.Boolean, CoercionInputShape.String, CoercionInputShape.EmptyString);
        strict(builder, LogicalType.Boolean, CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.String,
                CoercionInputShape.EmptyString);
        strict(builder, LogicalType.Enum, CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean,
                CoercionInputShape.EmptyString);
        strict(builder, LogicalType.DateTime, CoercionInputShape.Boolean, CoercionInputShape.EmptyString);
        strict(builder, LogicalType.Collection, CoercionInputShape.String, CoercionInputShape.EmptyString, CoercionInputShape.Integer,
                CoercionInputShape.Boolean);
        strict(builder, LogicalType.Map, CoercionInputShape.String, CoercionInputShape.EmptyString, CoercionInputShape.Integer,
                CoercionInputShape.Boolean);
        strict(builder, LogicalType.POJO, CoercionInputShape.String, CoercionInputShape.EmptyString, CoercionInputShape.Integer,
                CoercionInputShape.Float, CoercionInputShape.Boolean);
        return builder.build();
    }

    private static void strict(Builder builder, LogicalType type, CoercionInputShape... refused) {
        builder.withCoercionConfig(type, config -> {
            for (CoercionInputShape shape : refused) {
                config.setCoercion(shape, CoercionAction.Fail);
            }
            config.setAcceptBlankAsEmpty(false);
        });
    }
}
