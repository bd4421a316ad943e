package dev.capstan.local.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.capstan.local.LocalPaths;
import dev.capstan.local.server.LocalControlPlane;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client Capstan did not write: {@code registry-client.js} drives the MLflow REST subset of a
 * real control plane through the npm {@code mlflow} package's HTTP layer (see that script), with
 * the token passed as MLflow's clients pass it ({@code MLFLOW_TRACKING_TOKEN}). Skipped only where
 * node is not installed; {@code .ci/run} installs the package with {@code npm ci}, and this test
 * does the same when {@code node_modules} is missing.
 */
class MlflowNodeClientTest {
  static final Path CLIENT = Path.of("src/test/node/mlflow-client").toAbsolutePath();

  @TempDir Path home;
  @TempDir Path model;

  @Test
  void theNpmMlflowClientGetsMlflowsAnswers() throws Exception {
    Optional<Path> node = onPath("node");
    Assumptions.assumeTrue(node.isPresent(), "node is not installed: the MLflow client check needs node and npm on PATH");
    installPackages();
    Files.writeString(model.resolve("model.onnx"), "not really onnx");

    try (LocalControlPlane plane = LocalControlPlane.start(new LocalPaths(home), 0)) {
      String token = Files.readString(home.resolve("token")).strip();
      for (String job : List.of("job-1", "job-2")) {
        createSuspendedJob(plane, token, job);
      }
      ProcessBuilder pb = new ProcessBuilder(node.get().toString(), "registry-client.js").directory(CLIENT.toFile())
          .redirectErrorStream(true);
      pb.environment().put("MLFLOW_TRACKING_URI", "http://127.0.0.1:" + plane.port());
      pb.environment().put("MLFLOW_TRACKING_TOKEN", token);
      pb.environment().put("MODEL_SOURCE", model.toString());
      Process p = pb.start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the client did not finish: " + output);
      assertEquals(0, p.exitValue(), output);
      assertTrue(output.contains("all 11 checks passed"), output);
    }
  }

  private static void createSuspendedJob(LocalControlPlane plane, String token, String name) throws Exception {
    String job = "{\"apiVersion\":\"capstan.dev/v1alpha1\",\"kind\":\"TrainingJob\",\"spec\":{\"framework\":\"generic\","
        + "\"runPolicy\":{\"suspend\":true},\"replicas\":{\"main\":{\"count\":1,\"template\":{\"spec\":{\"containers\":"
        + "[{\"name\":\"main\",\"command\":[\"true\"]}]}}}}}}";
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plane.port()
            + "/apis/capstan.dev/v1alpha1/namespaces/default/trainingjobs/" + name))
        .header("Authorization", "Bearer " + token).PUT(HttpRequest.BodyPublishers.ofString(job)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(201, r.statusCode(), r.body());
  }

  /** {@code npm ci} from the committed lock file, when .ci/run has not done it already. */
  private static void installPackages() throws Exception {
    if (Files.isDirectory(CLIENT.resolve("node_modules/mlflow"))) {
      return;
    }
    Path npm = onPath("npm").orElseThrow(() -> new AssertionError("node is installed but npm is not; install npm, then run "
        + "'npm ci' in " + CLIENT));
    Process p = new ProcessBuilder(npm.toString(), "ci", "--no-audit", "--no-fund").directory(CLIENT.toFile())
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
      fail("'npm ci' in " + CLIENT + " failed:\n" + output);
    }
  }

  private static Optional<Path> onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
