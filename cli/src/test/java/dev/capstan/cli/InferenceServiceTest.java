package dev.capstan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * InferenceServices end to end in local mode, through the real CLI, server, gateway and
 * {@code capstan serve} replica processes: run until Ready, predict by service name, scale to zero
 * when idle and back on the first request, and nothing left running after a delete.
 */
class InferenceServiceTest {
  @TempDir Path temp;

  @Test
  void servesThroughTheGatewayScalesToZeroAndBackAndDeleteLeavesNoReplica() throws Exception {
    try (ServingFixture f = new ServingFixture(temp)) {
      Path manifest = f.capstan.manifest("iris.yaml", """
          apiVersion: capstan.dev/v1alpha1
          kind: InferenceService
          metadata:
            name: iris
          spec:
            predictor:
              minReplicas: 0
              maxReplicas: 2
              autoscaling:
                stableWindow: 2s
                scaleToZeroGracePeriod: 1s
              model:
                modelFormat:
                  name: onnx
                storageUri: %s
          """.formatted(f.model("1", false)));
      String url = f.capstan.run("run", "-f", manifest.toString()).expectSuccess().stdout().strip();
      assertTrue(url.matches("http://127\\.0\\.0\\.1:\\d+/serving/default/iris"), url);

      LocalCapstan.Result predicted = f.capstan.run("predict", "iris", "-f", ServingFixture.EXAMPLE.resolve("request.json").toString())
          .expectSuccess();
      assertTrue(predicted.stdout().contains("\"model_name\":\"iris\""), predicted.stdout());
      String listed = f.capstan.run("get", "isvc").expectSuccess().stdout();
      assertTrue(listed.contains(url) && listed.contains("iris-predictor-00001"), listed);

      f.await("iris", s -> ServingFixture.readyReplicas(s) == 0 && ServingFixture.revision(s, "iris-predictor-00001")
          .path("desiredReplicas").asInt(-1) == 0);
      f.awaitNoReplicaProcesses("iris");
      long sent = System.nanoTime();
      HttpResponse<String> first = f.infer(url, "iris");
      long millis = (System.nanoTime() - sent) / 1_000_000;
      assertEquals(200, first.statusCode(), first.body());
      System.out.println("scale from zero: request to response " + millis + " ms");
      assertEquals(1, ServingFixture.replicaProcesses("iris").stream().filter(p -> ProcessHandle.of(p)
          .flatMap(h -> h.info().command()).map(c -> c.endsWith("java")).orElse(false)).count(), "one replica serves");

      String described = f.capstan.run("describe", "isvc", "iris").expectSuccess().stdout();
      assertTrue(described.contains("iris-predictor-00001") && described.contains(url), described);

      f.capstan.run("delete", "isvc", "iris", "--timeout", "120s").expectSuccess();
      assertTrue(ServingFixture.replicaProcesses("iris").isEmpty(), "no replica process remains after the delete");
      JsonNode none = f.server().list(dev.capstan.api.codec.Kinds.INFERENCE_SERVICE, "default");
      assertEquals(0, none.path("items").size());
    }
  }
}
