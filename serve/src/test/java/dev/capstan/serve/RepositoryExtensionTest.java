package dev.capstan.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.serve.fetch.SourcePolicy;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** load/unload need the configured token; loads come from the repository directory or a checked URI. */
class RepositoryExtensionTest {
    @Test
    void tokenGuardsLoadAndUnload() throws Exception {
        Path root = Files.createTempDirectory("repo");
        TestingModels.echo(root, "extra", 0, null);
        ServerConfig config = ServerConfig.defaults().withHost("127.0.0.1").withPorts(0, -1)
                .withRepository("s3cret", root, SourcePolicy.defaults());
        try (ModelServer server = ModelServer.start(config, List.of())) {
            int port = server.httpPort();
            assertEquals("model_repository", Http.get(port, "/v2").json().get("extensions").get(0).asText());
            assertEquals(401, post(port, "/v2/repository/models/extra/load", null, "{}").status());
            assertEquals(401, post(port, "/v2/repository/models/extra/load", "wrong", "{}").status());
            assertEquals(404, Http.get(port, "/v2/models/extra").status());
            // KServe's answer bodies
            Http.Reply loaded = post(port, "/v2/repository/models/extra/load", "s3cret", "");
            assertEquals(200, loaded.status(), loaded.text());
            assertEquals("{\"name\":\"extra\",\"load\":true}", loaded.text());
            assertEquals(200, Http.get(port, "/v2/models/extra/ready").status());
            assertEquals("extra", post(port, "/v2/repository/index", "s3cret", "").json().get(0).get("name").asText());
            // a storage_uri pointing at cloud metadata is refused
            Http.Reply metadata = post(port, "/v2/repository/models/evil/load", "s3cret",
                    "{\"parameters\":{\"storage_uri\":\"http://169.254.169.254/latest/model.onnx\"}}");
            assertEquals(400, metadata.status(), metadata.text());
            assertEquals(400, post(port, "/v2/repository/models/..%2Fetc/load", "s3cret", "").status());
            Http.Reply unloaded = post(port, "/v2/repository/models/extra/unload", "s3cret", "");
            assertEquals(200, unloaded.status(), unloaded.text());
            assertEquals("{\"name\":\"extra\",\"unload\":true}", unloaded.text());
            assertEquals(404, Http.get(port, "/v2/models/extra").status());
        }
    }

    @Test
    void loadsStayInsideTheRootsAndErrorsListNothing() throws Exception {
        Path root = Files.createDirectories(Files.createTempDirectory("repo").resolve("models"));
        Path outside = Files.createDirectories(root.resolveSibling("outside"));
        TestingModels.echo(outside, "elsewhere", 0, null);
        Files.createSymbolicLink(root.resolve("escape"), outside.resolve("elsewhere"));
        Path crowded = Files.createDirectories(root.resolve("crowded"));
        Files.writeString(crowded.resolve("payroll-2024.csv.txt"), "a");
        Files.writeString(crowded.resolve("ssh-keys-backup.txt"), "b");
        ServerConfig config = ServerConfig.defaults().withHost("127.0.0.1").withPorts(0, -1)
                .withRepository("s3cret", root, SourcePolicy.defaults().withFileRoots(List.of(root)));
        try (ModelServer server = ModelServer.start(config, List.of())) {
            int port = server.httpPort();
            Http.Reply escape = post(port, "/v2/repository/models/escape/load", "s3cret", "");
            assertEquals(400, escape.status(), escape.text());
            assertTrue(escape.text().contains("is not inside a model root"), escape.text());

            Http.Reply listed = post(port, "/v2/repository/models/crowded/load", "s3cret", "");
            assertEquals(400, listed.status(), listed.text());
            assertTrue(listed.text().contains("holds 2 candidate model files"), listed.text());
            assertFalse(listed.text().contains("payroll") || listed.text().contains("ssh-keys"), listed.text());

            for (String uri : new String[] {"file:///proc/self/root/etc/hostname", outside.resolve("elsewhere").toUri().toString(),
                    root.resolve("../outside/elsewhere/model.echo").toUri().toString()}) {
                Http.Reply read = post(port, "/v2/repository/models/read/load", "s3cret",
                        "{\"parameters\":{\"storage_uri\":\"" + uri + "\"}}");
                assertEquals(400, read.status(), uri + ": " + read.text());
                assertTrue(read.text().contains("is not inside a model root"), read.text());
            }
        }
    }

    private static Http.Reply post(int port, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return Http.send(request);
    }
}
