package io.ployer.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server's logging, set up in code (found by logback through {@code ServiceLoader}) instead
 * of a logback.xml: no XML parser and configuration model are loaded, which keeps a few hundred
 * classes out of the server's memory. {@code LOG_FORMAT=json} writes JSON lines (logback's
 * {@link JsonEncoder}); anything else writes one plain line per event. {@code LOG_LEVEL} sets the
 * root level (default INFO). Client libraries that print request bodies at DEBUG (env values,
 * build arguments) stay at WARN whatever the level. A {@code -Dlogback.configurationFile} given
 * by the operator wins: this configurator then steps aside.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogConfiguration extends ContextAwareBase implements Configurator {
    /** Loggers pinned at WARN: framework chatter, and wire logs that would print secrets. */
    static final List<String> QUIET = List.of("org.jboss.resteasy", "io.undertow", "org.xnio", "com.zaxxer.hikari",
            "org.flywaydb", "com.github.dockerjava", "org.apache.hc", "org.apache.http", "org.eclipse.jgit", "org.apache.sshd");

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        apply(context, System.getenv(), console);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Configures {@code context} from {@code environment}, writing through {@code appender}. */
    static void apply(LoggerContext context, Map<String, String> environment, OutputStreamAppender<ILoggingEvent> appender) {
        boolean json = "json".equalsIgnoreCase(environment.getOrDefault("LOG_FORMAT", "text").trim());
        Encoder<ILoggingEvent> encoder;
        if (json) {
            JsonEncoder jsonEncoder = new JsonEncoder();
            jsonEncoder.setWithFormattedMessage(true);
            jsonEncoder.setWithMessage(false);
            jsonEncoder.setWithArguments(false);
            jsonEncoder.setWithContext(false);
            encoder = jsonEncoder;
        } else {
            LineLayout layout = new LineLayout();
            layout.setContext(context);
            layout.start();
            LayoutWrappingEncoder<ILoggingEvent> wrapping = new LayoutWrappingEncoder<>();
            wrapping.setLayout(layout);
            encoder = wrapping;
        }
        encoder.setContext(context);
        encoder.start();
        // Messages carry text from outside (request paths, webhook fields, build output): a control
        // character in it is escaped, so it can never end its line and forge another, in either format.
        EscapingEncoder escaping = new EscapingEncoder(encoder);
        escaping.setContext(context);
        appender.setContext(context);
        appender.setName(json ? "json" : "text");
        appender.setEncoder(escaping);
        appender.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.setLevel(Level.toLevel(environment.getOrDefault("LOG_LEVEL", "INFO").trim(), Level.INFO));
        root.addAppender(appender);
        QUIET.forEach(name -> context.getLogger(name).setLevel(Level.WARN));
    }

    /** {@code 2026-11-24T09:30:00.123Z INFO  [thread] logger - message}, then the stack trace if any. */
    static final class LineLayout extends LayoutBase<ILoggingEvent> {
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ROOT)
                .withZone(ZoneId.systemDefault());

        @Override
        public String doLayout(ILoggingEvent event) {
            StringBuilder line = new StringBuilder(128);
            TIME.formatTo(Instant.ofEpochMilli(event.getTimeStamp()), line);
            line.append(' ').append(event.getLevel().toString());
            for (int pad = event.getLevel().toString().length(); pad < 5; pad++) {
                line.append(' ');
            }
            line.append(" [").append(event.getThreadName()).append("] ").append(event.getLoggerName()).append(" - ")
                    .append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
            if (event.getThrowableProxy() != null) {
                line.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append(CoreConstants.LINE_SEPARATOR);
            }
            return line.toString();
        }
    }

    /** For tests: an appender writing to {@code out}. */
    static OutputStreamAppender<ILoggingEvent> appenderTo(OutputStream out) {
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setOutputStream(out);
        return appender;
    }
}
