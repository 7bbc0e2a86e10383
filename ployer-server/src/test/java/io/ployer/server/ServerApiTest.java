package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.server.ServerFixture.Answer;
import io.ployer.testkit.FreePorts;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Servers over the API: register, validate against a real socket on loopback, resources, guarded removal. */
class ServerApiTest {
    static final String KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END OPENSSH PRIVATE KEY-----\n";

    @TempDir
    Path data;

    @Test
    void registersValidatesAndRemovesServers() throws Exception {
        try (ServerFixture server = new ServerFixture(data);
             ServerSocket fakeSsh = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> {
                while (!fakeSsh.isClosed()) {
                    try (Socket client = fakeSsh.accept(); OutputStream output = client.getOutputStream()) {
                        output.write("SSH-2.0-OpenSSH_9.2 Testing\r\n".getBytes(StandardCharsets.US_ASCII));
                    } catch (java.io.IOException closed) {
                        return;
                    }
                }
            });
            String admin = server.login("admin@example.com", "admin-password");
            Answer local = server.get("/servers", admin);
            String localId = local.json().get(0).path("id").asText();
            assertThat(local.json().get(0).path("local").asBoolean()).isTrue();

            // Without a key Ployer can only check the SSH banner (the full session check is in the engine's tests).
            String body = "{\"name\":\"edge-1\",\"host\":\"127.0.0.1\",\"port\":" + fakeSsh.getLocalPort()
                    + ",\"username\":\"deploy\"}";
            Answer created = server.post("/servers", admin, body);
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            String id = created.json().path("id").asText();
            Answer withKey = server.post("/servers", admin, "{\"name\":\"edge-2\",\"host\":\"127.0.0.1\",\"ssh_private_key\":\""
                    + KEY.replace("\n", "\\n") + "\"}");
            assertThat(withKey.status()).isEqualTo(201);
            assertThat(withKey.body()).doesNotContain("c2VjcmV0").contains("\"ssh_private_key\":null");
            assertThat(server.send("DELETE", "/servers/" + withKey.json().path("id").asText(), admin, null).status()).isEqualTo(204);

            Answer online = server.post("/servers/" + id + "/validate", admin, null);
            assertThat(online.json().path("status").asText()).isEqualTo("ONLINE");
            assertThat(online.json().path("message").asText()).contains("SSH-2.0");
            assertThat(server.get("/servers/" + id, admin).json().path("status").asText()).isEqualTo("ONLINE");

            int closedPort = FreePorts.next();
            assertThat(server.send("PUT", "/servers/" + id, admin, "{\"port\":" + closedPort + "}").status()).isEqualTo(200);
            Answer offline = server.post("/servers/" + id + "/validate", admin, null);
            assertThat(offline.json().path("status").asText()).isEqualTo("OFFLINE");
            assertThat(offline.json().path("message").asText()).contains("cannot reach");

            Answer resources = server.get("/servers/" + localId + "/resources", admin);
            assertThat(resources.status()).isEqualTo(200);
            assertThat(resources.json().path("cpu_cores").asInt()).isPositive();
            assertThat(resources.json().path("memory_total_bytes").asLong()).isPositive();
            assertThat(resources.json().path("disk_total_bytes").asLong()).isPositive();
            assertThat(server.get("/servers/" + id + "/resources", admin).status()).isEqualTo(409);

            assertThat(server.post("/servers", admin, "{\"name\":\"edge-1\",\"host\":\"127.0.0.1\"}").errorCode()).isEqualTo("CONFLICT");
            assertThat(server.post("/servers", admin, "{\"name\":\"bad\",\"host\":\"-oProxyCommand=x\"}").errorField()).isEqualTo("host");
            // Link-local and metadata addresses are never a server (SSRF): 400 naming the field, nothing stored.
            for (String host : new String[] {"169.254.169.254", "[fe80::1]", "metadata.google.internal", "100.100.100.200"}) {
                Answer metadata = server.post("/servers", admin, "{\"name\":\"imds\",\"host\":\"" + host + "\"}");
                assertThat(metadata.status()).as(host).isEqualTo(400);
                assertThat(metadata.errorField()).as(host).isEqualTo("host");
                assertThat(metadata.json().path("error").path("message").asText()).as(host).contains("never allowed");
            }
            assertThat(server.send("PUT", "/servers/" + id, admin, "{\"host\":\"169.254.169.254\"}").errorField()).isEqualTo("host");
            assertThat(server.get("/servers/" + id, admin).json().path("host").asText()).isEqualTo("127.0.0.1");
            assertThat(server.send("DELETE", "/servers/" + localId, admin, null).status()).isEqualTo(409);
            assertThat(server.send("DELETE", "/servers/" + id, admin, null).status()).isEqualTo(204);
            assertThat(server.get("/servers/" + id, admin).status()).isEqualTo(404);
            assertThat(server.ployer.servers().list()).hasSize(1);
        }
    }

    @Test
    void refusesToDeployAnApplicationAssignedToARemoteServerWith409NamingIt() {
        try (ServerFixture server = new ServerFixture(data)) {
            String admin = server.login("admin@example.com", "admin-password");
            Answer remote = server.post("/servers", admin, "{\"name\":\"edge-remote\",\"host\":\"127.0.0.1\",\"port\":"
                    + FreePorts.next() + "}");
            assertThat(remote.status()).as(remote.body()).isEqualTo(201);
            String localId = server.get("/servers", admin).json().get(0).path("id").asText();
            Answer app = server.post("/applications", admin, "{\"name\":\"placed\",\"git_url\":\""
                    + data.resolve("repo").toUri() + "\",\"server_id\":\"" + remote.json().path("id").asText() + "\"}");
            assertThat(app.status()).as(app.body()).isEqualTo(201);
            String appId = app.json().path("id").asText();

            Answer deploy = server.post("/applications/" + appId + "/deploy", admin, "{}");

            assertThat(deploy.status()).as(deploy.body()).isEqualTo(409);
            assertThat(deploy.errorCode()).isEqualTo("CONFLICT");
            assertThat(deploy.errorField()).isEqualTo("server_id");
            assertThat(deploy.json().path("error").path("message").asText()).contains("edge-remote").contains("remote server");
            assertThat(server.ployer.deployments().list(io.ployer.api.deployment.DeploymentQuery.forApplication(appId))).isEmpty();

            // Assigned to the local server, the same application is accepted (the deployment itself is not this test's concern).
            assertThat(server.send("PUT", "/applications/" + appId, admin, "{\"server_id\":\"" + localId + "\"}").status())
                    .isEqualTo(200);
            assertThat(server.post("/applications/" + appId + "/deploy", admin, "{}").status()).isNotEqualTo(409);
        }
    }
}
