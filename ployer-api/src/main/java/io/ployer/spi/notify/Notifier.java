package io.ployer.spi.notify;

/**
 * Sends notifications to one destination (a Slack channel, an e-mail address …). The engine calls
 * {@link #send} from its own delivery threads and retries failures with backoff, so a notifier
 * makes exactly one attempt and reports its failure.
 */
public interface Notifier {

    /**
     * Delivers one notification, or fails with a {@link io.ployer.api.PloyerException} whose message
     * says why (the status the service answered, a refused connection). The message must not hold
     * a secret of the notifier's configuration (no webhook URL, no token).
     */
    void send(Notification notification);
}
