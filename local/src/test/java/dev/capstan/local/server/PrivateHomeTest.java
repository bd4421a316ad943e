package dev.capstan.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.capstan.api.codec.Manifests;
import dev.capstan.local.LocalPaths;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Everything the server keeps under {@code $CAPSTAN_HOME} is for its owner only. */
class PrivateHomeTest {
  static final String JOBS = "/apis/capstan.dev/v1alpha1/namespaces/default/trainingjobs";
  static final String SUSPENDED_JOB = "{\"apiVersion\":\"capstan.dev/v1alpha1\",\"kind\":\"TrainingJob\",\"spec\":{"
      + "\"framework\":\"generic\",\"runPolicy\":{\"suspend\":true},\"replicas\":{\"main\":{\"count\":1,"
      + "\"template\":{\"spec\":{\"containers\":[{\"name\":\"main\",\"command\":[\"true\"]}]}}}}}}";
  static final int NOBODY = 65534;

  @TempDir Path temp;
  Path home;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void openTemp() throws Exception {
    // A temporary directory is 0700; open it up like a home directory so that only the modes
    // Capstan sets stand between another user and the files.
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
    home = temp.resolve("home");
  }

  @Test
  void everythingTheServerWritesIsOwnerOnly() throws Exception {
    try (LocalControlPlane plane = LocalControlPlane.start(new LocalPaths(home), 0)) {
      String token = token();
      assertEquals(201, send(plane, token, "PUT", JOBS + "/quiet", SUSPENDED_JOB).statusCode());
      awaitState(plane, token, "quiet");
      assertEquals(200, send(plane, token, "GET", JOBS + "/quiet/events", null).statusCode());

      assertEquals("rwx------", mode(home));
      assertOwnerOnly(home);
      if (isRoot()) {
        assertEquals(0, asNobody("ls", temp.toString()), "user nobody must reach the home's parent for this test to mean anything");
        for (String file : List.of("token", "server.json")) {
          assertNotEquals(0, asNobody("cat", home.resolve(file).toString()), "user nobody could read " + file);
        }
        assertNotEquals(0, asNobody("ls", home.toString()), "user nobody could list the home");
      }
    }
    assertOwnerOnly(home);
  }

  @Test
  void anOlderHomeIsTightenedAndAnExposedTokenReplaced() throws Exception {
    Path store = Files.createDirectories(home.resolve("store/trainingjobs/default"));
    Files.writeString(store.resolve("old.json"),
        SUSPENDED_JOB.replace("\"spec\":", "\"metadata\":{\"name\":\"old\",\"namespace\":\"default\"},\"spec\":"));
    Files.writeString(home.resolve("server.log"), "an old log\n");
    String exposed = "x".repeat(43);
    Files.writeString(home.resolve("token"), exposed + "\n");
    for (Path p : List.of(home, home.resolve("store"), store)) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    for (Path p : List.of(store.resolve("old.json"), home.resolve("server.log"), home.resolve("token"))) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
    }

    try (LocalControlPlane plane = LocalControlPlane.start(new LocalPaths(home), 0)) {
      String token = token();
      assertNotEquals(exposed, token, "a token others could read must not stay in use");
      assertEquals(401, send(plane, exposed, "GET", JOBS, null).statusCode());
      assertEquals(200, send(plane, token, "GET", JOBS, null).statusCode());
      assertEquals("rwx------", mode(home));
      assertEquals("rw-------", mode(home.resolve("token")));
      assertOwnerOnly(home);
    }
  }

  private String token() throws Exception {
    Path file = home.resolve("token");
    return Files.exists(file) ? Files.readString(file).strip() : "no-token-file";
  }

  private static void assertOwnerOnly(Path home) throws Exception {
    List<String> exposed = new ArrayList<>();
    try (Stream<Path> all = Files.walk(home)) {
      for (Path p : all.toList()) {
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        if (mode.stream().anyMatch(b -> b.name().startsWith("GROUP") || b.name().startsWith("OTHERS"))) {
          exposed.add(home.relativize(p) + " " + PosixFilePermissions.toString(mode));
        }
      }
    }
    assertTrue(exposed.isEmpty(), "readable by others: " + exposed);
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }

  private static boolean isRoot() throws Exception {
    return "0".equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid").toString());
  }

  /** Runs a command as user nobody (uid 65534, no groups); returns its exit code. */
  private static int asNobody(String... command) throws Exception {
    List<String> argv = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
    argv.addAll(List.of(command));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "setpriv did not finish");
    return p.exitValue();
  }

  private HttpResponse<String> send(LocalControlPlane plane, String token, String method, String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plane.port() + path))
        .header("Authorization", "Bearer " + token)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private void awaitState(LocalControlPlane plane, String token, String name) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = send(plane, token, "GET", JOBS + "/" + name, null);
      if (!Manifests.json().readTree(r.body()).path("status").path("state").asText().isEmpty()) {
        return;
      }
      Thread.sleep(50);
    }
    fail("job " + name + " got no status within 60s");
  }
}
