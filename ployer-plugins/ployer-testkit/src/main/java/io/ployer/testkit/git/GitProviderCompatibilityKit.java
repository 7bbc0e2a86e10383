package io.ployer.testkit.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.spi.git.GitProvider;
import io.ployer.spi.git.Verification;
import io.ployer.spi.git.WebhookEvent;
import io.ployer.spi.git.WebhookRequest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every {@link GitProvider} must do with its forge's deliveries: accept the right signature
 * over the raw body, refuse a flipped byte, a wrong secret, a missing header and a signature over
 * re-serialised JSON, give duplicates the same delivery id, and parse each event kind. Extend it
 * with the provider and payloads in the forge's documented format.
 */
public abstract class GitProviderCompatibilityKit {
    /** The secret the kit signs with. */
    protected static final String SECRET = "kit-secret-0123456789abcdef0123456789abcdef";

    /**
     * What the sample push carries.
     *
     * @param branch        branch
     * @param commitSha     commit
     * @param author        author
     * @param message       commit message
     * @param repositoryUrl repository URL
     */
    public record ExpectedPush(String branch, String commitSha, String author, String message, String repositoryUrl) {
    }

    protected abstract GitProvider provider();

    /** Headers the forge would send with {@code body} for {@code kind} ({@code push}, {@code ping}, {@code tag}, {@code delete}). */
    protected abstract Map<String, List<String>> signedHeaders(byte[] body, String secret, String kind);

    /** The header carrying the signature or token. */
    protected abstract String signatureHeader();

    /** A sample payload of the kind, or {@code null} when the forge has no such event. */
    protected abstract String payload(String kind);

    protected abstract ExpectedPush expectedPush();

    protected abstract String expectedTag();

    protected abstract String expectedDeletedBranch();

    /** Whether the signature covers the body (HMAC) rather than being a shared token. */
    protected boolean signsTheBody() {
        return true;
    }

    protected WebhookRequest request(String kind) {
        byte[] body = payload(kind).getBytes(StandardCharsets.UTF_8);
        return new WebhookRequest(body, signedHeaders(body, SECRET, kind));
    }

    @Test
    void acceptsTheRightSignature() {
        assertThat(provider().verify(request("push"), SECRET)).isInstanceOf(Verification.Verified.class);
    }

    @Test
    void refusesAFlippedByteInTheBody() {
        if (!signsTheBody()) {
            return;
        }
        byte[] body = payload("push").getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> headers = signedHeaders(body, SECRET, "push");
        byte[] altered = body.clone();
        altered[altered.length / 2] ^= 1;
        assertThat(provider().verify(new WebhookRequest(altered, headers), SECRET)).isInstanceOf(Verification.Rejected.class);
    }

    @Test
    void refusesAFlippedCharacterInTheSignature() {
        byte[] body = payload("push").getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> headers = new HashMap<>(signedHeaders(body, SECRET, "push"));
        String key = headers.keySet().stream().filter(name -> name.equalsIgnoreCase(signatureHeader())).findFirst().orElseThrow();
        String value = headers.get(key).get(0);
        char last = value.charAt(value.length() - 1);
        headers.put(key, List.of(value.substring(0, value.length() - 1) + (last == '0' ? '1' : '0')));
        assertThat(provider().verify(new WebhookRequest(body, headers), SECRET)).isInstanceOf(Verification.Rejected.class);
    }

    @Test
    void refusesAWrongSecretAndAMissingHeaderWithoutRevealingTheSecret() {
        byte[] body = payload("push").getBytes(StandardCharsets.UTF_8);
        Verification wrong = provider().verify(new WebhookRequest(body, signedHeaders(body, "another-secret", "push")), SECRET);
        assertThat(wrong).isInstanceOfSatisfying(Verification.Rejected.class,
                rejected -> assertThat(rejected.reason()).doesNotContain(SECRET));
        Map<String, List<String>> headers = new HashMap<>(signedHeaders(body, SECRET, "push"));
        headers.keySet().removeIf(name -> name.equalsIgnoreCase(signatureHeader()));
        assertThat(provider().verify(new WebhookRequest(body, headers), SECRET)).isInstanceOfSatisfying(Verification.Rejected.class,
                rejected -> assertThat(rejected.reason()).containsIgnoringCase("missing"));
    }

    @Test
    void refusesASignatureOverReserialisedJson() {
        if (!signsTheBody()) {
            return;
        }
        String raw = payload("push");
        String reserialised = raw.replaceFirst("\\{", "{ ");
        Map<String, List<String>> headers = signedHeaders(reserialised.getBytes(StandardCharsets.UTF_8), SECRET, "push");
        assertThat(provider().verify(new WebhookRequest(raw.getBytes(StandardCharsets.UTF_8), headers), SECRET))
                .isInstanceOf(Verification.Rejected.class);
    }

    @Test
    void givesAReplayedDeliveryTheSameId() {
        assertThat(provider().deliveryId(request("push"))).isPresent().isEqualTo(provider().deliveryId(request("push")));
    }

    @Test
    void parsesAPush() {
        ExpectedPush expected = expectedPush();
        assertThat(provider().parse(request("push"))).isEqualTo(new WebhookEvent.Push(expected.branch(), expected.commitSha(),
                expected.author(), expected.message(), expected.repositoryUrl()));
    }

    @Test
    void parsesPingsTagsAndDeletions() {
        if (payload("ping") != null) {
            assertThat(provider().parse(request("ping"))).isInstanceOf(WebhookEvent.Ping.class);
        }
        if (payload("tag") != null) {
            assertThat(provider().parse(request("tag"))).isInstanceOfSatisfying(WebhookEvent.TagPush.class,
                    tag -> assertThat(tag.tag()).isEqualTo(expectedTag()));
        }
        if (payload("delete") != null) {
            assertThat(provider().parse(request("delete"))).isEqualTo(new WebhookEvent.BranchDeleted(expectedDeletedBranch()));
        }
    }

    @Test
    void refusesABodyThatIsNotThePayload() {
        byte[] body = "this is not json".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> provider().parse(new WebhookRequest(body, signedHeaders(body, SECRET, "push"))))
                .isInstanceOfSatisfying(PloyerException.class, error -> {
                    assertThat(error.code()).isEqualTo(StandardErrorCode.INVALID_ARGUMENT);
                    assertThat(error.field()).contains("body");
                });
    }
}
