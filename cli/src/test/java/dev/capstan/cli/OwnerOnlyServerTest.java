package dev.capstan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.codec.Manifests;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/**
 * The server that the CLI starts in the background answers only requests with the home's token,
 * which the CLI sends; what the CLI writes for it (the home, the server log) is owner-only.
 */
class OwnerOnlyServerTest extends LocalServerTest {
  @Test
  void theCliUsesTheTokenThatOthersCannotRead() throws Exception {
    assertEquals("rwx------", mode(capstan.home));
    assertEquals("rw-------", mode(capstan.home.resolve("server.log")));
    assertEquals("rw-------", mode(capstan.home.resolve("token")));

    capstan.run("get", "trainingjobs", "-A").expectSuccess();

    int port = Manifests.json().readTree(capstan.home.resolve("server.json").toFile()).path("port").asInt();
    HttpResponse<String> anonymous = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/apis/capstan.dev/v1alpha1/trainingjobs")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(401, anonymous.statusCode(), anonymous.body());
    JsonNode error = Manifests.json().readTree(anonymous.body());
    assertTrue(error.path("error").asText().contains("token"), anonymous.body());
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
