package io.ployer.testkit.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.spi.git.GitProvider;
import io.ployer.spi.git.Verification;
import io.ployer.spi.git.WebhookEvent;
import io.ployer.spi.git.WebhookRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every {@link GitProvider} must do with its forge's deliveries: accept the right signature
 * over the raw body; refuse a flipped body byte, a flipped signature character, a wrong secret, a
 * missing header and a signature over re-serialised JSON, without revealing the secret or the
 * expected signature; give a replayed delivery the same id; parse each event kind into the right
 * record; and refuse a body that is not the forge's payload as an INVALID_ARGUMENT naming
 * {@code body}.
 *
 * <p>Extend it with the provider, a way to sign as the forge does, and sample payloads in the
 * forge's documented format (typically files under {@code src/test/resources/payloads/}, read
 * with {@link #resource(String)}). Capability flags ({@link #signsTheBody()},
 * {@link #sendsPings()}, {@link #sendsTagPushes()}, {@link #sendsBranchDeletions()}) skip what the
 * forge does not do; skipped tests show as skipped, not as passed.
 */
public abstract class GitProviderCompatibilityKit {
    /** The secret the kit signs with. */
    protected static final String SECRET = "kit-secret-0123456789abcdef0123456789abcdef";
    /** A push of commits to a branch. */
    protected static final String PUSH = "push";
    /** The test delivery a forge sends when the webhook is set up. */
    protected static final String PING = "ping";
    /** A tag push. */
    protected static final String TAG = "tag";
    /** A branch deletion. */
    protected static final String DELETE = "delete";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The provider under test, made through its plugin's factory. */
    protected abstract GitProvider provider();

    /**
     * The headers the forge would send with {@code body} for an event of {@code eventKind}
     * ({@link #PUSH}, {@link #PING}, {@link #TAG} or {@link #DELETE}), signed (or carrying the token)
     * for {@code secret} with the forge's real algorithm, and carrying a fixed delivery id.
     */
    protected abstract Map<String, List<String>> signedHeaders(byte[] body, String secret, String eventKind);

    /** The header carrying the signature or token. */
    protected abstract String signatureHeader();

    /**
     * The raw sample payload of an event kind the forge sends: by default the test resource
     * {@code /payloads/<kind>.json}; an IllegalArgumentException when there is none.
     */
    protected byte[] payload(String eventKind) {
        return resource("/payloads/" + eventKind + ".json");
    }

    /** What {@link #payload(String)} of that kind must parse to. */
    protected abstract WebhookEvent expectedEvent(String eventKind);

    /** Whether the signature covers the body (HMAC) rather than being a shared token. */
    protected boolean signsTheBody() {
        return true;
    }

    /** Whether the forge sends a ping (test) delivery of its own. */
    protected boolean sendsPings() {
        return true;
    }

    /** Whether the forge reports tag pushes. */
    protected boolean sendsTagPushes() {
        return true;
    }

    /** Whether the forge reports branch deletions. */
    protected boolean sendsBranchDeletions() {
        return true;
    }

    /** A class-path resource of the test, such as {@code /payloads/push.json}, as raw bytes. */
    protected final byte[] resource(String name) {
        try (InputStream in = getClass().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A correctly signed delivery of the sample payload of the kind. */
    protected final WebhookRequest request(String eventKind) {
        byte[] body = payload(eventKind);
        return new WebhookRequest(body, signedHeaders(body, SECRET, eventKind));
    }

    @Test
    void acceptsTheRightSignatureForEveryEventKind() {
        for (String kind : supportedKinds()) {
            assertThat(provider().verify(request(kind), SECRET)).as(kind).isInstanceOf(Verification.Verified.class);
        }
    }

    @Test
    void refusesAFlippedByteInTheBody() {
        byte[] body = payload(PUSH);
        Map<String, List<String>> headers = signedHeaders(body, SECRET, PUSH);
        byte[] altered = body.clone();
        altered[altered.length / 2] ^= 1;
        Verification verification = provider().verify(new WebhookRequest(altered, headers), SECRET);
        if (signsTheBody()) {
            assertThat(verification).isInstanceOf(Verification.Rejected.class);
        } else {
            // A shared token authenticates the sender, not the body (docs/webhooks.md: use HTTPS):
            // the provider compares the token and nothing else.
            assertThat(verification).isInstanceOf(Verification.Verified.class);
        }
    }

    @Test
    void refusesAFlippedCharacterInTheSignature() {
        byte[] body = payload(PUSH);
        Map<String, List<String>> headers = new HashMap<>(signedHeaders(body, SECRET, PUSH));
        String name = signatureHeaderName(headers);
        String value = headers.get(name).get(0);
        char last = value.charAt(value.length() - 1);
        headers.put(name, List.of(value.substring(0, value.length() - 1) + (last == '0' ? '1' : '0')));
        assertThat(provider().verify(new WebhookRequest(body, headers), SECRET)).isInstanceOf(Verification.Rejected.class);
    }

    @Test
    void refusesAWrongSecret() {
        byte[] body = payload(PUSH);
        Verification verification = provider().verify(new WebhookRequest(body, signedHeaders(body, "another-secret", PUSH)), SECRET);
        assertThat(verification).isInstanceOf(Verification.Rejected.class);
    }

    @Test
    void refusesAMissingSignatureHeaderSayingWhichIsMissing() {
        byte[] body = payload(PUSH);
        Map<String, List<String>> headers = new HashMap<>(signedHeaders(body, SECRET, PUSH));
        headers.remove(signatureHeaderName(headers));
        assertThat(provider().verify(new WebhookRequest(body, headers), SECRET)).isInstanceOfSatisfying(Verification.Rejected.class,
                rejected -> assertThat(rejected.reason()).containsIgnoringCase("missing").containsIgnoringCase(signatureHeader()));
    }

    @Test
    void neverRevealsTheSecretOrTheExpectedSignatureInAReason() {
        byte[] body = payload(PUSH);
        String expected = signedHeaders(body, SECRET, PUSH).entrySet().stream()
                .filter(entry -> entry.getKey().equalsIgnoreCase(signatureHeader())).findFirst().orElseThrow().getValue().get(0);
        String hexPart = expected.substring(expected.indexOf('=') + 1);
        List<Verification> refusals = new ArrayList<>();
        refusals.add(provider().verify(new WebhookRequest(body, signedHeaders(body, "another-secret", PUSH)), SECRET));
        if (signsTheBody()) {
            byte[] altered = body.clone();
            altered[0] ^= 1;
            refusals.add(provider().verify(new WebhookRequest(altered, signedHeaders(body, SECRET, PUSH)), SECRET));
        }
        for (Verification verification : refusals) {
            assertThat(verification).isInstanceOfSatisfying(Verification.Rejected.class, rejected -> assertThat(rejected.reason())
                    .isNotBlank().doesNotContain(SECRET).doesNotContain(hexPart));
        }
    }

    @Test
    void refusesASignatureOverReserialisedJson() throws IOException {
        if (!signsTheBody()) {
            // Nothing is computed over the body: a token that is not the secret is refused whatever the body.
            byte[] raw = payload(PUSH);
            assertThat(provider().verify(new WebhookRequest(raw, signedHeaders(raw, SECRET + "x", PUSH)), SECRET))
                    .isInstanceOf(Verification.Rejected.class);
            return;
        }
        byte[] raw = payload(PUSH);
        JsonNode tree = JSON.readTree(raw);
        byte[] reserialised = JSON.writeValueAsBytes(tree);
        if (Arrays.equals(raw, reserialised)) {
            reserialised = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(tree);
        }
        assertThat(reserialised).as("the same JSON, written differently").isNotEqualTo(raw);
        assertThat(JSON.readTree(reserialised)).isEqualTo(tree);
        Map<String, List<String>> headers = signedHeaders(reserialised, SECRET, PUSH);
        assertThat(provider().verify(new WebhookRequest(raw, headers), SECRET)).isInstanceOf(Verification.Rejected.class);
    }

    @Test
    void givesAReplayedDeliveryTheSameNonEmptyId() {
        WebhookRequest first = request(PUSH);
        WebhookRequest replay = request(PUSH);
        assertThat(provider().deliveryId(first)).hasValueSatisfying(id -> assertThat(id).isNotBlank())
                .isEqualTo(provider().deliveryId(replay));
    }

    @Test
    void parsesAPush() {
        assertThat(expectedEvent(PUSH)).isInstanceOf(WebhookEvent.Push.class);
        assertThat(provider().parse(request(PUSH))).isEqualTo(expectedEvent(PUSH));
        // Every change of the delivery: the push is among them (the engine picks the one for the app's branch).
        assertThat(provider().parseAll(request(PUSH))).contains(expectedEvent(PUSH));
    }

    @Test
    void parsesAPing() {
        if (!sendsPings()) {
            assertNoSample(PING);
            return;
        }
        assertThat(provider().parse(request(PING))).isEqualTo(new WebhookEvent.Ping());
    }

    @Test
    void parsesATagPush() {
        if (!sendsTagPushes()) {
            assertNoSample(TAG);
            return;
        }
        assertThat(expectedEvent(TAG)).isInstanceOf(WebhookEvent.TagPush.class);
        assertThat(provider().parse(request(TAG))).isEqualTo(expectedEvent(TAG));
    }

    @Test
    void parsesABranchDeletion() {
        if (!sendsBranchDeletions()) {
            assertNoSample(DELETE);
            return;
        }
        assertThat(expectedEvent(DELETE)).isInstanceOf(WebhookEvent.BranchDeleted.class);
        assertThat(provider().parse(request(DELETE))).isEqualTo(expectedEvent(DELETE));
    }

    @Test
    void refusesABodyThatIsNotJson() {
        assertRefusedAsInvalidBody("this is not json");
    }

    @Test
    void refusesJsonThatIsNotAPushPayload() {
        assertRefusedAsInvalidBody("[\"a\", \"list\"]");
        assertRefusedAsInvalidBody("{\"unexpected\": true}");
    }

    private void assertRefusedAsInvalidBody(String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        WebhookRequest request = new WebhookRequest(body, signedHeaders(body, SECRET, PUSH));
        assertThatThrownBy(() -> provider().parse(request)).as(text).isInstanceOfSatisfying(PloyerException.class, error -> {
            assertThat(error.code()).isEqualTo(StandardErrorCode.INVALID_ARGUMENT);
            assertThat(error.field()).contains("body");
        });
    }

    /**
     * For an event kind the forge does not send: the kit has no sample of it and the supported
     * kinds leave it out, so the capability flags and the payloads cannot drift apart.
     */
    private void assertNoSample(String eventKind) {
        assertThat(supportedKinds()).doesNotContain(eventKind);
        assertThatThrownBy(() -> payload(eventKind)).as("a sample of an event the forge does not send")
                .isInstanceOf(IllegalArgumentException.class);
    }

    private List<String> supportedKinds() {
        List<String> kinds = new ArrayList<>(List.of(PUSH));
        if (sendsPings()) {
            kinds.add(PING);
        }
        if (sendsTagPushes()) {
            kinds.add(TAG);
        }
        if (sendsBranchDeletions()) {
            kinds.add(DELETE);
        }
        return kinds;
    }

    private String signatureHeaderName(Map<String, List<String>> headers) {
        return headers.keySet().stream().filter(name -> name.equalsIgnoreCase(signatureHeader())).findFirst()
                .orElseThrow(() -> new AssertionError("signedHeaders sends no " + signatureHeader()));
    }
}
