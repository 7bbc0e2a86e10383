package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ployer.server.ServerFixture.Answer;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Accounts over real HTTP with the server's clock moved by hand: TOTP (enrol, login with a code and
 * with a recovery code, replay refused, wrong codes throttled), sessions (list, revoke, sliding
 * expiry, admin revocation), API key expiry, password change.
 */
class AccountsFlowTest {
    @TempDir
    Path data;

    private final TestingClock clock = new TestingClock(Instant.parse("2030-01-01T00:00:10Z"));

    /** An authenticator: RFC 6238 with HMAC-SHA-1, written here independently of the engine's. */
    static String code(String base32Secret, Instant at) throws Exception {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        ByteBuffer secret = ByteBuffer.allocate(base32Secret.length() * 5 / 8);
        int buffer = 0;
        int bits = 0;
        for (char c : base32Secret.toUpperCase(Locale.ROOT).toCharArray()) {
            buffer = (buffer << 5) | alphabet.indexOf(c);
            bits += 5;
            if (bits >= 8) {
                secret.put((byte) (buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret.array(), "HmacSHA1"));
        byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(at.getEpochSecond() / 30).array());
        int offset = hash[19] & 0xf;
        int value = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16) | ((hash[offset + 2] & 0xff) << 8)
                | (hash[offset + 3] & 0xff);
        return String.format("%06d", value % 1_000_000);
    }

    private static String loginBody(String extra) {
        return "{\"email\":\"ada@example.com\",\"password\":\"correct horse\"" + extra + "}";
    }

    @Test
    void totpEnrolLoginWithCodeAndRecoveryCodeReplayRefusedWrongCodesThrottled() throws Exception {
        try (ServerFixture server = new ServerFixture(data, clock, Map.of())) {
            String token = server.login("ada@example.com", "correct horse");
            Answer enrolled = server.post("/auth/totp", token, null);
            assertThat(enrolled.status()).isEqualTo(201);
            String secret = enrolled.json().path("secret").asText();
            assertThat(secret).matches("[A-Z2-7]{32}");
            assertThat(enrolled.json().path("uri").asText()).isEqualTo("otpauth://totp/Ployer:ada@example.com?secret=" + secret
                    + "&issuer=Ployer&algorithm=SHA1&digits=6&period=30");
            // Not in force until confirmed: the password alone still logs in.
            assertThat(server.post("/auth/login", null, loginBody("")).status()).isEqualTo(200);
            // The secret is stored encrypted, not as shown.
            assertThat(server.ployer.accounts().totpStatus(server.ployer.accounts().users().get(0).id()).pending()).isTrue();

            Answer wrongConfirm = server.post("/auth/totp/confirm", token, "{\"code\":\"000000\"}".replace("000000",
                    code(secret, clock.instant()).equals("000000") ? "111111" : "000000"));
            assertThat(wrongConfirm.status()).isEqualTo(400);
            assertThat(wrongConfirm.errorField()).isEqualTo("code");
            Answer confirmed = server.post("/auth/totp/confirm", token, "{\"code\":\"" + code(secret, clock.instant()) + "\"}");
            assertThat(confirmed.status()).isEqualTo(200);
            List<String> recovery = new ArrayList<>();
            confirmed.json().path("recovery_codes").forEach(node -> recovery.add(node.asText()));
            assertThat(recovery).hasSize(10).doesNotHaveDuplicates();

            // The password alone is no longer enough: a clear 401 naming the missing factor.
            Answer passwordOnly = server.post("/auth/login", null, loginBody(""));
            assertThat(passwordOnly.status()).isEqualTo(401);
            assertThat(passwordOnly.errorCode()).isEqualTo("UNAUTHENTICATED");
            assertThat(passwordOnly.errorField()).isEqualTo("totp");
            assertThat(passwordOnly.json().path("error").path("message").asText()).contains("second factor");

            clock.advance(Duration.ofSeconds(30));
            String now = code(secret, clock.instant());
            Answer withCode = server.post("/auth/login", null, loginBody(",\"totp\":\"" + now + "\""));
            assertThat(withCode.status()).isEqualTo(200);
            assertThat(server.get("/auth/me", withCode.json().path("token").asText()).status()).isEqualTo(200);
            // Replaying the same code (same time step) is refused.
            Answer replay = server.post("/auth/login", null, loginBody(",\"totp\":\"" + now + "\""));
            assertThat(replay.status()).isEqualTo(401);
            assertThat(replay.json().path("error").path("message").asText()).contains("already used");

            // A recovery code logs in once.
            Answer withRecovery = server.post("/auth/login", null, loginBody(",\"recovery_code\":\"" + recovery.get(0).toUpperCase(Locale.ROOT) + "\""));
            assertThat(withRecovery.status()).isEqualTo(200);
            assertThat(server.post("/auth/login", null, loginBody(",\"recovery_code\":\"" + recovery.get(0) + "\"")).status()).isEqualTo(401);
            assertThat(server.get("/auth/totp", token).json().path("recovery_codes_left").asInt()).isEqualTo(9);

            // Wrong codes: 5 in 5 minutes, then 429 even for the right code, until the window passes.
            clock.advance(Duration.ofSeconds(30));
            String wrong = code(secret, clock.instant()).equals("123456") ? "654321" : "123456";
            for (int i = 0; i < 4; i++) {
                assertThat(server.post("/auth/login", null, loginBody(",\"totp\":\"" + wrong + "\"")).status()).isEqualTo(401);
            }
            Answer throttled = server.post("/auth/login", null, loginBody(",\"totp\":\"" + code(secret, clock.instant()) + "\""));
            assertThat(throttled.status()).isEqualTo(429);
            assertThat(throttled.errorCode()).isEqualTo("LIMIT_EXCEEDED");
            assertThat(throttled.json().path("error").path("message").asText()).contains("try again in");
            clock.advance(Duration.ofMinutes(5));
            assertThat(server.post("/auth/login", null, loginBody(",\"totp\":\"" + code(secret, clock.instant()) + "\"")).status())
                    .isEqualTo(200);

            // Turning it off needs proof; then the password alone works again.
            assertThat(server.post("/auth/totp/disable", token, "{}").status()).isEqualTo(400);
            assertThat(server.post("/auth/totp/disable", token, "{\"password\":\"wrong password\"}").errorField()).isEqualTo("password");
            assertThat(server.post("/auth/totp/disable", token, "{\"password\":\"correct horse\"}").status()).isEqualTo(204);
            assertThat(server.post("/auth/login", null, loginBody("")).status()).isEqualTo(200);
        }
    }

    @Test
    void requiredTotpLetsAUserOnlyEnrolUntilTheyDo() throws Exception {
        try (ServerFixture server = new ServerFixture(data, clock, Map.of("auth.require-totp", "true"))) {
            String token = server.login("ada@example.com", "correct horse");
            Answer refused = server.get("/applications", token);
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.json().path("error").path("message").asText()).contains("two-factor");
            assertThat(server.get("/auth/me", token).status()).isEqualTo(200);
            String secret = server.post("/auth/totp", token, null).json().path("secret").asText();
            assertThat(server.post("/auth/totp/confirm", token, "{\"code\":\"" + code(secret, clock.instant()) + "\"}").status())
                    .isEqualTo(200);
            assertThat(server.get("/applications", token).status()).isEqualTo(200);
        }
    }

    @Test
    void sessionsAreListedRevokedSlideOnUseAndEndAtTheCap() {
        try (ServerFixture server = new ServerFixture(data, clock, Map.of())) {
            String first = server.login("ada@example.com", "correct horse");
            String second = server.login("ada@example.com", "correct horse");
            Answer sessions = server.get("/auth/sessions", first);
            assertThat(sessions.status()).isEqualTo(200);
            assertThat(sessions.json()).hasSize(2);
            assertThat(sessions.body()).doesNotContain(first).doesNotContain(second).doesNotContain("token");
            JsonNode mine = null;
            String otherId = null;
            for (JsonNode session : sessions.json()) {
                if (session.path("current").asBoolean()) {
                    mine = session;
                } else {
                    otherId = session.path("id").asText();
                }
            }
            assertThat(mine).isNotNull();
            assertThat(mine.path("client_address").asText()).isEqualTo("127.0.0.1");
            assertThat(server.send("DELETE", "/auth/sessions/" + otherId, first, null).status()).isEqualTo(204);
            assertThat(server.get("/auth/me", second).status()).isEqualTo(401);
            assertThat(server.send("DELETE", "/auth/sessions/" + otherId, first, null).status()).isEqualTo(404);

            // Sliding: used every 20 hours, the session outlives its first 24 h ...
            for (int i = 0; i < 3; i++) {
                clock.advance(Duration.ofHours(20));
                assertThat(server.get("/auth/me", first).status()).as("use " + i).isEqualTo(200);
            }
            // ... but unused for more than 24 h it ends.
            clock.advance(Duration.ofHours(24).plusSeconds(1));
            assertThat(server.get("/auth/me", first).status()).isEqualTo(401);

            // However often it is used, it ends 30 days after login.
            String busy = server.login("ada@example.com", "correct horse");
            for (int i = 0; i < 36; i++) {
                clock.advance(Duration.ofHours(20));
                if (server.get("/auth/me", busy).status() != 200) {
                    assertThat(i * 20L + 20).isGreaterThan(30 * 24 - 20).isLessThanOrEqualTo(30 * 24 + 20);
                    return;
                }
            }
            throw new AssertionError("a session used every 20 hours was still valid after 30 days");
        }
    }

    @Test
    void anAdminRevokesAnotherUsersSessionsAndAUserCannot() {
        try (ServerFixture server = new ServerFixture(data, clock, Map.of())) {
            String admin = server.login("admin@example.com", "admin-password");
            server.send("PUT", "/auth/registration", admin, "{\"open\":true}");
            String bob = server.login("bob@example.com", "bob-password");
            String bobId = server.get("/auth/me", bob).json().path("id").asText();
            String adminId = server.get("/auth/me", admin).json().path("id").asText();
            assertThat(server.send("DELETE", "/auth/users/" + adminId + "/sessions", bob, null).status()).isEqualTo(403);
            Answer revoked = server.send("DELETE", "/auth/users/" + bobId + "/sessions", admin, null);
            assertThat(revoked.status()).isEqualTo(200);
            assertThat(revoked.json().path("revoked").asInt()).isEqualTo(1);
            assertThat(server.get("/auth/me", bob).status()).isEqualTo(401);
            assertThat(server.get("/auth/me", admin).status()).isEqualTo(200);
            assertThat(server.send("DELETE", "/auth/users/nobody/sessions", admin, null).status()).isEqualTo(404);
        }
    }

    @Test
    void anApiKeyWithAnExpiryIsRefusedAfterIt() {
        try (ServerFixture server = new ServerFixture(data, clock, Map.of())) {
            String token = server.login("ada@example.com", "correct horse");
            Answer created = server.post("/auth/api-keys", token, "{\"name\":\"ci\",\"scopes\":[\"read\"],\"expires_at\":\""
                    + clock.instant().plus(Duration.ofHours(1)) + "\"}");
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.json().path("expires_at").asText()).isNotEmpty();
            String key = created.json().path("key").asText();
            Answer forever = server.post("/auth/api-keys", token, "{\"name\":\"forever\",\"scopes\":[\"read\"]}");
            assertThat(forever.json().path("expires_at").isNull()).isTrue();
            assertThat(server.get("/auth/me", key).status()).isEqualTo(200);
            clock.advance(Duration.ofHours(1));
            assertThat(server.get("/auth/me", key).status()).isEqualTo(401);
            assertThat(server.get("/auth/me", forever.json().path("key").asText()).status()).isEqualTo(200);
            Answer past = server.post("/auth/api-keys", token, "{\"name\":\"old\",\"scopes\":[\"read\"],\"expires_at\":\"2000-01-01T00:00:00Z\"}");
            assertThat(past.status()).isEqualTo(400);
            assertThat(past.errorField()).isEqualTo("expires_at");
            assertThat(server.post("/auth/api-keys", token, "{\"name\":\"bad\",\"scopes\":[\"read\"],\"expires_at\":\"soon\"}").status())
                    .isEqualTo(400);
        }
    }

    @Test
    void aPasswordChangeRevokesOtherSessionsAndRefusesCommonPasswords() {
        try (ServerFixture server = new ServerFixture(data, clock, Map.of())) {
            String mine = server.login("ada@example.com", "correct horse");
            String other = server.login("ada@example.com", "correct horse");
            Answer wrongCurrent = server.post("/auth/password", mine, "{\"current_password\":\"nope nope\",\"new_password\":\"a new passphrase\"}");
            assertThat(wrongCurrent.status()).isEqualTo(400);
            assertThat(wrongCurrent.errorField()).isEqualTo("current_password");
            Answer common = server.post("/auth/password", mine, "{\"current_password\":\"correct horse\",\"new_password\":\"Password1\"}");
            assertThat(common.status()).isEqualTo(400);
            assertThat(common.errorField()).isEqualTo("new_password");
            assertThat(common.json().path("error").path("message").asText()).contains("most common passwords");
            assertThat(server.get("/auth/me", other).status()).isEqualTo(200);

            Answer changed = server.post("/auth/password", mine, "{\"current_password\":\"correct horse\",\"new_password\":\"a new passphrase\"}");
            assertThat(changed.status()).isEqualTo(204);
            assertThat(server.get("/auth/me", other).status()).isEqualTo(401);
            assertThat(server.get("/auth/me", mine).status()).isEqualTo(200);
            assertThat(server.post("/auth/login", null, "{\"email\":\"ada@example.com\",\"password\":\"correct horse\"}").status()).isEqualTo(401);
            assertThat(server.post("/auth/login", null, "{\"email\":\"ada@example.com\",\"password\":\"a new passphrase\"}").status()).isEqualTo(200);
            // Registration refuses a well-known password too.
            Answer register = server.post("/auth/register", null, "{\"email\":\"x@example.com\",\"password\":\"qwertyuiop\"}");
            assertThat(register.status()).isIn(400, 403);
        }
    }

    @Test
    void garbageToTheAccountEndpointsAnswersAJsonClientError() {
        try (ServerFixture server = new ServerFixture(data, clock, Map.of())) {
            String token = server.login("ada@example.com", "correct horse");
            List<String> bodies = List.of("", "null", "[]", "\"text\"", "{", "{\"code\":{}}", "{\"code\":[1]}",
                    "{\"current_password\":7,\"new_password\":{}}", "{\"password\":null,\"code\":\"" + "9".repeat(5000) + "\"}",
                    "{\"expires_at\":\"yesterday\",\"name\":\"x\",\"scopes\":[\"read\"]}");
            // Disable first: once an enrolment is pending, cancelling it needs no proof and succeeds.
            List<String> paths = List.of("/auth/totp/disable", "/auth/totp", "/auth/totp/confirm", "/auth/password",
                    "/auth/api-keys", "/auth/login");
            for (String path : paths) {
                for (String body : bodies) {
                    Answer answer = server.post(path, token, body);
                    if (path.equals("/auth/totp") && answer.status() == 201) {
                        continue; // enrolment takes no body; it starts over each time
                    }
                    assertThat(answer.status()).as(path + " " + body).isBetween(400, 499);
                    assertThat(answer.errorCode()).as(path + " " + body).isNotNull();
                }
            }
            for (String id : List.of("x", "%00", "9".repeat(300), "..%2F..%2Fetc")) {
                Answer session = server.send("DELETE", "/auth/sessions/" + id, token, null);
                assertThat(session.status()).as(id).isBetween(400, 499);
                Answer users = server.send("DELETE", "/auth/users/" + id + "/sessions", token, null);
                assertThat(users.status()).as(id).isBetween(400, 499);
            }
        }
    }
}
