package io.ployer.plugin.notifiers.internal;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.spi.plugin.PluginConfig;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.notify.Notification;
import io.ployer.spi.notify.Notifier;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.Properties;
import java.util.Set;

/**
 * E-mail over SMTP (Jakarta Mail, Angus). {@code security} is {@code starttls} (the default: the
 * connection must be upgraded, never sent in clear), {@code tls} (implicit TLS, usually port 465) or
 * {@code none}; with a {@code username} the session authenticates. Server certificates are
 * checked, host name included; {@code ssl-trust} names hosts whose certificate is trusted as is
 * (a test server's self-signed one).
 */
public final class EmailNotifier implements Notifier {
    /** The keys it accepts. */
    public static final Set<String> KEYS = Set.of("host", "port", "security", "username", "password", "from", "to",
            "timeout", "ssl-trust");
    private final Properties properties;
    private final String username;
    private final String password;
    private final InternetAddress from;
    private final InternetAddress[] to;
    private final boolean implicitTls;

    private EmailNotifier(Properties properties, String username, String password, InternetAddress from, InternetAddress[] to,
                          boolean implicitTls) {
        this.properties = properties;
        this.username = username;
        this.password = password;
        this.from = from;
        this.to = to;
        this.implicitTls = implicitTls;
    }

    /** Reads the SMTP settings; see {@link #KEYS}. */
    public static Notifier of(PluginConfig config, PluginContext context) {
        String host = config.requiredString("host");
        if (host != null && !host.matches("[A-Za-z0-9.:\\[\\]-]+")) {
            config.problem("host", "must be a host name or an IP address");
        }
        String security = config.string("security", "starttls");
        if (!Set.of("starttls", "tls", "none").contains(security)) {
            config.problem("security", "must be starttls, tls or none");
        }
        boolean implicitTls = security.equals("tls");
        int port = config.integer("port", implicitTls ? 465 : 587, 1, 65535);
        String username = config.string("username", null);
        String password = config.string("password", null);
        if (password != null && username == null) {
            config.problem("password", "needs a username");
        }
        InternetAddress from = address(config, "from");
        InternetAddress[] to = addresses(config);
        Duration timeout = config.duration("timeout", Duration.ofSeconds(20));
        String trust = config.string("ssl-trust", null);

        String protocol = implicitTls ? "smtps" : "smtp";
        Properties properties = new Properties();
        properties.put("mail.transport.protocol", protocol);
        String prefix = "mail." + protocol + ".";
        properties.put(prefix + "host", host == null ? "" : host);
        properties.put(prefix + "port", String.valueOf(port));
        properties.put(prefix + "auth", String.valueOf(username != null));
        properties.put(prefix + "connectiontimeout", String.valueOf(timeout.toMillis()));
        properties.put(prefix + "timeout", String.valueOf(timeout.toMillis()));
        properties.put(prefix + "writetimeout", String.valueOf(timeout.toMillis()));
        // A host trusted as is (ssl-trust) has a certificate whose name is not checked either.
        properties.put(prefix + "ssl.checkserveridentity", String.valueOf(trust == null));
        if (security.equals("starttls")) {
            properties.put(prefix + "starttls.enable", "true");
            properties.put(prefix + "starttls.required", "true");
        }
        if (implicitTls) {
            properties.put(prefix + "ssl.enable", "true");
        }
        if (trust != null) {
            properties.put(prefix + "ssl.trust", trust);
        }
        return new EmailNotifier(properties, username, password, from, to, implicitTls);
    }

    private static InternetAddress address(PluginConfig config, String key) {
        String value = config.requiredString(key);
        if (value == null) {
            return null;
        }
        try {
            InternetAddress address = new InternetAddress(value, true);
            address.validate();
            return address;
        } catch (AddressException e) {
            config.problem(key, "must be an e-mail address");
            return null;
        }
    }

    private static InternetAddress[] addresses(PluginConfig config) {
        String value = config.requiredString("to");
        if (value == null) {
            return new InternetAddress[0];
        }
        try {
            InternetAddress[] parsed = InternetAddress.parse(value, true);
            for (InternetAddress address : parsed) {
                address.validate();
            }
            if (parsed.length == 0) {
                config.problem("to", "must name at least one e-mail address");
            }
            return parsed;
        } catch (AddressException e) {
            config.problem("to", "must be e-mail addresses separated by commas");
            return new InternetAddress[0];
        }
    }

    @Override
    public void send(Notification notification) {
        Session session = Session.getInstance(properties);
        try {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(from);
            message.setRecipients(Message.RecipientType.TO, to);
            message.setSubject("[Ployer] " + notification.title(), StandardCharsets.UTF_8.name());
            message.setSentDate(Date.from(notification.at()));
            message.setText(notification.text() + "\n", StandardCharsets.UTF_8.name());
            message.setHeader("X-Ployer-Event", notification.event().name().toLowerCase(java.util.Locale.ROOT));
            try (Transport transport = session.getTransport(implicitTls ? "smtps" : "smtp")) {
                if (username != null) {
                    transport.connect(username, password);
                } else {
                    transport.connect();
                }
                transport.sendMessage(message, message.getAllRecipients());
            }
        } catch (MessagingException e) {
            // The server's answer, never the password (Jakarta Mail does not echo it).
            throw new PloyerException(StandardErrorCode.NOTIFICATION_FAILURE, "the SMTP server did not take the message: "
                    + e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).strip());
        }
    }
}
