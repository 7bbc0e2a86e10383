package io.ployer.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggerContextVO;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * An event as the log writes it: the message with its control characters escaped
 * ({@link LogText#escape}), everything else as it was. Whatever a message was built from (a
 * request, a webhook payload, a container's output), it stays on its own line.
 */
final class EscapedEvent implements ILoggingEvent {
    private final ILoggingEvent event;
    private final String message;

    private EscapedEvent(ILoggingEvent event, String message) {
        this.event = event;
        this.message = message;
    }

    /** {@code event} itself when neither its message nor a throwable needs escaping. */
    static ILoggingEvent of(ILoggingEvent event) {
        String formatted = event.getFormattedMessage();
        String escaped = LogText.escape(formatted);
        boolean same = escaped == null || escaped.equals(formatted);
        return same && event.getThrowableProxy() == null ? event : new EscapedEvent(event, same ? formatted : escaped);
    }

    @Override
    public String getThreadName() {
        return event.getThreadName();
    }

    @Override
    public Level getLevel() {
        return event.getLevel();
    }

    @Override
    public String getMessage() {
        return message;
    }

    @Override
    public Object[] getArgumentArray() {
        return null;
    }

    @Override
    public String getFormattedMessage() {
        return message;
    }

    @Override
    public String getLoggerName() {
        return event.getLoggerName();
    }

    @Override
    public LoggerContextVO getLoggerContextVO() {
        return event.getLoggerContextVO();
    }

    @Override
    public IThrowableProxy getThrowableProxy() {
        return EscapedThrowable.of(event.getThrowableProxy());
    }

    /**
     * A throwable whose messages are escaped: an exception message can quote its input (a parser
     * quotes the body it choked on). The stack trace itself stays one frame a line.
     */
    private record EscapedThrowable(IThrowableProxy throwable) implements IThrowableProxy {
        static IThrowableProxy of(IThrowableProxy throwable) {
            return throwable == null ? null : new EscapedThrowable(throwable);
        }

        @Override
        public String getOverridingMessage() {
            return LogText.escape(throwable.getOverridingMessage());
        }

        @Override
        public String getMessage() {
            return LogText.escape(throwable.getMessage());
        }

        @Override
        public String getClassName() {
            return throwable.getClassName();
        }

        @Override
        public StackTraceElementProxy[] getStackTraceElementProxyArray() {
            return throwable.getStackTraceElementProxyArray();
        }

        @Override
        public int getCommonFrames() {
            return throwable.getCommonFrames();
        }

        @Override
        public IThrowableProxy getCause() {
            return of(throwable.getCause());
        }

        @Override
        public IThrowableProxy[] getSuppressed() {
            IThrowableProxy[] suppressed = throwable.getSuppressed();
            if (suppressed == null) {
                return null;
            }
            IThrowableProxy[] escaped = new IThrowableProxy[suppressed.length];
            for (int i = 0; i < suppressed.length; i++) {
                escaped[i] = of(suppressed[i]);
            }
            return escaped;
        }

        @Override
        public boolean isCyclic() {
            return throwable.isCyclic();
        }
    }

    @Override
    public StackTraceElement[] getCallerData() {
        return event.getCallerData();
    }

    @Override
    public boolean hasCallerData() {
        return event.hasCallerData();
    }

    @Override
    public List<Marker> getMarkerList() {
        return event.getMarkerList();
    }

    @Override
    public Map<String, String> getMDCPropertyMap() {
        return event.getMDCPropertyMap();
    }

    @Override
    @SuppressWarnings("deprecation")
    public Map<String, String> getMdc() {
        return event.getMdc();
    }

    @Override
    public long getTimeStamp() {
        return event.getTimeStamp();
    }

    @Override
    public int getNanoseconds() {
        return event.getNanoseconds();
    }

    @Override
    public Instant getInstant() {
        return event.getInstant();
    }

    @Override
    public long getSequenceNumber() {
        return event.getSequenceNumber();
    }

    @Override
    public List<KeyValuePair> getKeyValuePairs() {
        return event.getKeyValuePairs();
    }

    @Override
    public void prepareForDeferredProcessing() {
        event.prepareForDeferredProcessing();
    }
}
