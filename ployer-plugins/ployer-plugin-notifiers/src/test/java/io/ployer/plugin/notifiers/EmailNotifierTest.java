package io.ployer.plugin.notifiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.spi.notify.Notification;
import io.ployer.spi.notify.NotifierFactory;
import io.ployer.testkit.notify.NotifierCompatibilityKit;
import jakarta.mail.internet.MimeMessage;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The e-mail notifier against GreenMail, a real SMTP server on 127.0.0.1 (plain SMTP with AUTH, and SMTPS). */
class EmailNotifierTest extends NotifierCompatibilityKit {
    private static final String PASSWORD = "smtp-password-that-is-secret";

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(new ServerSetup[] {
            onLoopback(ServerSetup.PROTOCOL_SMTP), onLoopback(ServerSetup.PROTOCOL_SMTPS)})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("ployer@example.com", "ployer", PASSWORD));

    /** A free port on 127.0.0.1, with time to start on a busy machine (TLS key generation is slow there). */
    private static ServerSetup onLoopback(String protocol) {
        ServerSetup setup = new ServerSetup(0, "127.0.0.1", protocol).dynamicPort();
        setup.setServerStartupTimeout(30_000);
        return setup;
    }

    @Override
    protected NotifierFactory factory() {
        return Factories.named("email");
    }

    @Override
    protected Map<String, String> configFor() {
        return Map.of("host", "127.0.0.1", "port", String.valueOf(MAIL.getSmtp().getPort()), "security", "none",
                "username", "ployer", "password", PASSWORD, "from", "Ployer <ployer@example.com>",
                "to", "ops@example.com, dev@example.com", "timeout", "5s");
    }

    @Override
    protected Map<String, String> unreachable(Map<String, String> config, int closedPort) {
        Map<String, String> changed = new HashMap<>(config);
        changed.put("port", String.valueOf(closedPort));
        return changed;
    }

    @Override
    protected void assertDelivered(Notification sent) {
        assertThat(MAIL.waitForIncomingEmail(5000, 2)).isTrue();
        MimeMessage[] messages = MAIL.getReceivedMessages();
        assertThat(messages).hasSize(2);
        try {
            MimeMessage message = messages[0];
            assertThat(message.getSubject()).isEqualTo("[Ployer] Deployment of shop failed");
            assertThat(message.getFrom()[0].toString()).isEqualTo("Ployer <ployer@example.com>");
            assertThat(message.getAllRecipients()).extracting(Object::toString).containsExactly("ops@example.com", "dev@example.com");
            assertThat(message.getHeader("X-Ployer-Event")[0]).isEqualTo("deployment_failed");
            String body = GreenMailUtil.getBody(message);
            assertThat(body).contains("Reason: the build failed").contains(sent.link()).doesNotContain(PASSWORD);
        } catch (jakarta.mail.MessagingException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void sendsOverImplicitTls() {
        Map<String, String> config = new HashMap<>(configFor());
        config.put("security", "tls");
        config.put("port", String.valueOf(MAIL.getSmtps().getPort()));
        config.put("ssl-trust", "127.0.0.1"); // GreenMail's certificate is self-signed
        factory().create(config, context()).send(sampleNotification());
        assertThat(MAIL.waitForIncomingEmail(5000, 2)).isTrue();
    }

    @Test
    void starttlsIsRequiredSoAServerWithoutItGetsNothingInClear() {
        Map<String, String> config = new HashMap<>(configFor());
        config.put("security", "starttls");
        assertThatThrownBy(() -> factory().create(config, context()).send(sampleNotification()))
                .isInstanceOfSatisfying(PloyerException.class, error -> {
                    assertThat(error.code()).isEqualTo(StandardErrorCode.NOTIFICATION_FAILURE);
                    assertThat(error.getMessage()).doesNotContain(PASSWORD);
                });
        assertThat(MAIL.getReceivedMessages()).isEmpty();
    }

    @Test
    void aWrongPasswordFailsWithoutShowingIt() {
        Map<String, String> config = new HashMap<>(configFor());
        config.put("password", "not-the-right-password");
        assertThatThrownBy(() -> factory().create(config, context()).send(sampleNotification()))
                .isInstanceOfSatisfying(PloyerException.class, error -> {
                    assertThat(error.code()).isEqualTo(StandardErrorCode.NOTIFICATION_FAILURE);
                    assertThat(error.getMessage()).doesNotContain("not-the-right-password");
                });
    }

    @Test
    void refusesAddressesThatAreNotAddresses() {
        Map<String, String> config = new HashMap<>(configFor());
        config.put("to", "ops at example dot com");
        config.put("from", "@@");
        assertThatThrownBy(() -> factory().create(config, context())).isInstanceOf(PloyerException.class)
                .hasMessageContaining("to: ").hasMessageContaining("from: must be an e-mail address");
    }
}
