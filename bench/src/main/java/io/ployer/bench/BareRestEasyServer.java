package io.ployer.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Set;
import org.jboss.resteasy.core.ResteasyDeploymentImpl;
import org.jboss.resteasy.plugins.server.servlet.HttpServlet30Dispatcher;
import org.jboss.resteasy.plugins.server.servlet.ResteasyContextParameters;
import org.jboss.resteasy.spi.ResteasyDeployment;

/**
 * The framework floor: RESTEasy on Undertow's servlet container (deployed as Ployer deploys it)
 * with one resource answering the same list through Jackson, and nothing else: no engine, no
 * storage, no authentication. Arguments: port, body file.
 */
public final class BareRestEasyServer {
    private BareRestEasyServer() {
    }

    /** {@code GET /api/v1/applications}: the list read at start, serialised on every request. */
    @Path("/applications")
    public static final class Applications {
        private final List<?> body;

        Applications(List<?> body) {
            this.body = body;
        }

        @GET
        @Produces(MediaType.APPLICATION_JSON)
        public List<?> list() {
            return body;
        }
    }

    /** JSON out, as Ployer's provider writes it: one buffer, with a Content-Length. */
    @Produces(MediaType.APPLICATION_JSON)
    public static final class Json implements MessageBodyWriter<Object> {
        private final ObjectMapper mapper = new ObjectMapper();

        @Override
        public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
            return true;
        }

        @Override
        public void writeTo(Object value, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                            MultivaluedMap<String, Object> headers, OutputStream entity) throws java.io.IOException {
            byte[] bytes = mapper.writeValueAsBytes(value);
            headers.putSingle("Content-Length", bytes.length);
            entity.write(bytes);
        }
    }

    public static void main(String[] arguments) throws Exception {
        int port = Integer.parseInt(arguments[0]);
        List<?> body = new ObjectMapper().readValue(java.nio.file.Path.of(arguments[1]).toFile(), List.class);
        ResteasyDeployment deployment = new ResteasyDeploymentImpl();
        // As PloyerServer: no built-in providers but the plain-string writer.
        deployment.setRegisterBuiltin(false);
        deployment.getActualProviderClasses().add(org.jboss.resteasy.plugins.providers.StringTextStar.class);
        deployment.setApplication(new jakarta.ws.rs.core.Application() {
            @Override
            @SuppressWarnings("deprecation") // as PloyerRestApplication: singletons without CDI
            public Set<Object> getSingletons() {
                return Set.of(new Applications(body), new Json());
            }
        });
        DeploymentInfo info = Servlets.deployment().setClassLoader(BareRestEasyServer.class.getClassLoader()).setContextPath("/")
                .setDeploymentName("bare").addServletContextAttribute(ResteasyDeployment.class.getName(), deployment)
                .addServlet(Servlets.servlet("resteasy", HttpServlet30Dispatcher.class).setAsyncSupported(true).setLoadOnStartup(1)
                        .addMapping("/api/v1/*").addInitParam(ResteasyContextParameters.RESTEASY_SERVLET_MAPPING_PREFIX, "/api/v1"));
        DeploymentManager manager = Servlets.newContainer().addDeployment(info);
        manager.deploy();
        Undertow.builder().addHttpListener(port, "127.0.0.1").setHandler(Handlers.path(manager.start())).build().start();
        Thread.currentThread().join();
    }
}
