package io.ployer.server.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ployer.api.Ployer;
import io.ployer.api.account.AccountService.Principal;
import io.ployer.api.event.EventSubscription;
import io.ployer.api.event.PloyerEvent;
import io.ployer.server.auth.Caller;
import io.ployer.server.http.JsonMapper;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live streams over WebSocket at {@code /api/v1/ws}. The token never travels in the URL: the first
 * message must be {@code {"type":"auth","token":"…"}} (within 10 s). Then the client sends
 * {@code {"type":"subscribe","topic":"deployment:<id>"}} (or {@code app:<id>}, {@code server:<id>},
 * {@code container:<id>}) and receives {@code {"type":"event","topic",…,"event",…,"data":{…}}}. A client
 * that does not keep up (more than {@value #MAX_PENDING} unsent messages) is disconnected; it never
 * slows the engine, whose event bus gives each subscriber its own bounded queue.
 */
public final class EventStream implements WebSocketConnectionCallback {
    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
    static final int MAX_PENDING = 256;
    private static final Pattern TOPIC = Pattern.compile("(deployment|app|server|container):[A-Za-z0-9-]{1,64}");

    private final Ployer ployer;
    private final ObjectMapper json = JsonMapper.create();

    public EventStream(Ployer ployer) {
        this.ployer = ployer;
    }

    @Override
    public void onConnect(WebSocketHttpExchange exchange, WebSocketChannel channel) {
        Connection connection = new Connection(channel);
        channel.getIoThread().executeAfter(() -> {
            if (connection.principal == null && channel.isOpen()) {
                connection.closeWith(4401, "authenticate first: send {\"type\":\"auth\",\"token\":\"...\"}");
            }
        }, 10, TimeUnit.SECONDS);
        channel.getReceiveSetter().set(new AbstractReceiveListener() {
            @Override
            protected void onFullTextMessage(WebSocketChannel source, BufferedTextMessage message) {
                connection.receive(message.getData());
            }

            @Override
            protected void onCloseMessage(io.undertow.websockets.core.CloseMessage message, WebSocketChannel source) {
                connection.stop();
            }
        });
        channel.addCloseTask(closed -> connection.stop());
        channel.resumeReceives();
    }

    /** One client. */
    private final class Connection {
        private final WebSocketChannel channel;
        private final Set<String> topics = ConcurrentHashMap.newKeySet();
        private final java.util.Map<String, AutoCloseable> follows = new ConcurrentHashMap<>();
        private final AtomicInteger pending = new AtomicInteger();
        private volatile Principal principal;
        private volatile EventSubscription subscription;

        Connection(WebSocketChannel channel) {
            this.channel = channel;
        }

        void receive(String text) {
            JsonNode message;
            try {
                message = json.readTree(text);
            } catch (IOException e) {
                send(error("message", "is not JSON"));
                return;
            }
            String type = message.path("type").asText("");
            if (principal == null) {
                if (!type.equals("auth")) {
                    closeWith(4401, "authenticate first: send {\"type\":\"auth\",\"token\":\"...\"}");
                    return;
                }
                Optional<Principal> authenticated = ployer.accounts().authenticate(message.path("token").asText(""));
                if (authenticated.isEmpty()) {
                    closeWith(4401, "the token is invalid, expired or revoked");
                    return;
                }
                if (authenticated.get().mustEnrolTotp()) {
                    closeWith(4403, "this server requires two-factor authentication: enrol with POST /auth/totp first");
                    return;
                }
                principal = authenticated.get();
                // The principal's view: only events of applications this caller may see reach it.
                subscription = ployer.as(principal).events().subscribe(event -> topics.contains(event.topic()), this::deliver);
                ObjectNode welcome = json.createObjectNode().put("type", "authenticated");
                welcome.put("user", principal.user().email());
                send(welcome);
                return;
            }
            String topic = message.path("topic").asText("");
            switch (type) {
                case "subscribe" -> {
                    if (!TOPIC.matcher(topic).matches()) {
                        send(error("topic", "must be deployment:<id>, app:<id>, server:<id> or container:<id>"));
                    } else if (topics.size() >= 100) {
                        send(error("topic", "at most 100 subscriptions per connection"));
                    } else if (topic.startsWith("container:")) {
                        followContainer(topic);
                    } else {
                        topics.add(topic);
                        send(json.createObjectNode().put("type", "subscribed").put("topic", topic));
                    }
                }
                case "unsubscribe" -> {
                    topics.remove(topic);
                    closeQuietly(follows.remove(topic));
                    send(json.createObjectNode().put("type", "unsubscribed").put("topic", topic));
                }
                default -> send(error("type", "must be subscribe or unsubscribe"));
            }
        }

        /** Container output can hold anything an app prints: the same rule as the REST logs ({@link Principal#mayReadContainerLogs}). */
        private void followContainer(String topic) {
            if (!principal.mayReadContainerLogs()) {
                send(error("PERMISSION_DENIED", "topic", Caller.CONTAINER_LOGS_DENIED));
                return;
            }
            if (follows.containsKey(topic)) {
                return;
            }
            String containerId = topic.substring("container:".length());
            try {
                follows.put(topic, ployer.containers().followLogs(containerId, line -> {
                    ObjectNode message = json.createObjectNode().put("type", "event").put("topic", topic).put("event", "container.log");
                    message.putObject("data").put("container_id", containerId).put("line", line);
                    send(message);
                }));
                send(json.createObjectNode().put("type", "subscribed").put("topic", topic));
            } catch (io.ployer.api.PloyerException e) {
                send(error("topic", e.getMessage()));
            }
        }

        private ObjectNode error(String field, String message) {
            return error("INVALID_ARGUMENT", field, field + ": " + message);
        }

        private ObjectNode error(String code, String field, String message) {
            ObjectNode error = json.createObjectNode().put("type", "error");
            error.putObject("error").put("code", code).put("message", message).put("field", field);
            return error;
        }

        void deliver(PloyerEvent event) {
            ObjectNode message = json.createObjectNode().put("type", "event").put("topic", event.topic())
                    .put("event", eventName(event));
            message.set("data", json.valueToTree(event));
            send(message);
        }

        private void send(JsonNode message) {
            if (!channel.isOpen()) {
                return;
            }
            if (pending.incrementAndGet() > MAX_PENDING) {
                closeWith(1008, "too slow: messages are piling up");
                return;
            }
            WebSockets.sendText(message.toString(), channel, new WebSocketCallback<Void>() {
                @Override
                public void complete(WebSocketChannel done, Void context) {
                    pending.decrementAndGet();
                }

                @Override
                public void onError(WebSocketChannel failed, Void context, Throwable throwable) {
                    pending.decrementAndGet();
                    stop();
                }
            });
        }

        void closeWith(int code, String reason) {
            stop();
            WebSockets.sendClose(code, reason, channel, null);
        }

        void stop() {
            EventSubscription current = subscription;
            subscription = null;
            if (current != null) {
                current.close();
            }
            follows.values().forEach(EventStream::closeQuietly);
            follows.clear();
        }
    }

    static void closeQuietly(AutoCloseable handle) {
        if (handle == null) {
            return;
        }
        try {
            handle.close();
        } catch (Exception e) {
            LOG.debug("closing a log follow failed: {}", e.toString());
        }
    }

    static String eventName(PloyerEvent event) {
        if (event instanceof PloyerEvent.DeploymentStatusChanged) {
            return "deployment.status";
        } else if (event instanceof PloyerEvent.DeploymentLogged) {
            return "deployment.log";
        } else if (event instanceof PloyerEvent.HealthChanged) {
            return "app.health";
        } else if (event instanceof PloyerEvent.HealthChecked) {
            return "app.health_check";
        } else if (event instanceof PloyerEvent.StatsSampled) {
            return "app.stats";
        } else if (event instanceof PloyerEvent.WebhookReceived) {
            return "app.webhook";
        } else if (event instanceof PloyerEvent.PreviewChanged) {
            return "app.preview";
        } else if (event instanceof PloyerEvent.ServerStatusChanged) {
            return "server.status";
        } else if (event instanceof PloyerEvent.CrashLoopDetected) {
            return "app.crash_loop";
        } else if (event instanceof PloyerEvent.BackupFinished) {
            return "backup";
        } else if (event instanceof PloyerEvent.CertificateProblem || event instanceof PloyerEvent.CertificateRecovered) {
            return "app.certificate";
        }
        return "container.log";
    }
}
