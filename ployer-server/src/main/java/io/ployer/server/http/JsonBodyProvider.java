package io.ployer.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/**
 * Reads and writes JSON bodies with the server's {@link JsonMapper}. Parse failures surface as
 * {@link InvalidJsonException} so the {@link ErrorMapper} can name the offending field.
 */
@Provider
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public final class JsonBodyProvider implements MessageBodyReader<Object>, MessageBodyWriter<Object> {
    private final ObjectMapper mapper = JsonMapper.create();

    /** A request body that is not the JSON the resource expects. */
    public static final class InvalidJsonException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidJsonException(JsonProcessingException cause) {
            super(cause.getOriginalMessage(), cause);
        }

        /** The Jackson failure. */
        public JsonProcessingException jsonFailure() {
            return (JsonProcessingException) getCause();
        }
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return true;
    }

    @Override
    public Object readFrom(Class<Object> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                           MultivaluedMap<String, String> headers, InputStream entity) throws IOException {
        PushbackInputStream input = new PushbackInputStream(entity, 1);
        int first = input.read();
        if (first == -1) {
            return null; // an empty body: the resource says which field it needed
        }
        input.unread(first);
        try {
            return mapper.readValue(input, mapper.constructType(genericType));
        } catch (JsonProcessingException e) {
            throw new InvalidJsonException(e);
        }
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return true;
    }

    private static boolean cacheable(Annotation[] annotations) {
        if (annotations != null) {
            for (Annotation annotation : annotations) {
                if (annotation instanceof CachedResponse) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public void writeTo(Object value, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                        MultivaluedMap<String, Object> headers, OutputStream entity) throws IOException {
        // One buffer, one write: the response gets a Content-Length instead of chunks, and a failure
        // to serialise surfaces before anything was committed.
        byte[] body = mapper.writeValueAsBytes(value);
        if (cacheable(annotations)) {
            ResponseCache.offer(body, annotations);
        }
        headers.putSingle("Content-Length", body.length);
        entity.write(body);
    }
}
