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
 * {@code capstan serve} replica processes: a KServe manifest run as it is until Ready, predict by
 * service name, a step load that scales it up to its maximum, scale to zero when idle and back on the first request, nothing left running after
 * a delete; a canary split, rollback and promotion, and a broken revision, under continuous load
 * that must see no failed request.
 */
class InferenceServiceTest {
  @TempDir Path temp;

  @Test
  void servesThroughTheGatewayScalesUpDownToZeroAndBackAndDeleteLeavesNoReplica() throws Exception {
    try (ServingFixture f = new ServingFixture(temp)) {
      Path manifest = f.capstan.manifest("iris.yaml", """
          apiVersion: serving.kserve.io/v1beta1
          kind: InferenceService
          metadata:
            name: iris
            annotations:
              autoscaling.knative.dev/window: "6s"
              autoscaling.knative.dev/scale-to-zero-grace-period: "1s"
          spec:
            predictor:
              minReplicas: 0
              maxReplicas: 2
              scaleMetric: concurrency
              scaleTarget: 2
              model:
                modelFormat:
                  name: onnx
                storageUri: file://%s
          """.formatted(f.model("1", false)));
      LocalCapstan.Result run = f.capstan.run("run", "-f", manifest.toString()).expectSuccess();
      assertTrue(run.stderr().contains("serving.kserve.io/v1beta1 converted to capstan.dev/v1alpha1"), run.stderr());
      String url = run.stdout().strip();
      assertTrue(url.matches("http://127\\.0\\.0\\.1:\\d+/serving/default/iris"), url);

      LocalCapstan.Result predicted = f.capstan.run("predict", "iris", "-f", ServingFixture.EXAMPLE.resolve("request.json").toString())
          .expectSuccess();
      assertTrue(predicted.stdout().contains("\"model_name\":\"iris\""), predicted.stdout());
      String listed = f.capstan.run("get", "isvc").expectSuccess().stdout();
      assertTrue(listed.contains(url) && listed.contains("iris-predictor-00001"), listed);

      // Step load 1 -> 32 -> 0: the revision scales up to its maximum, then down to zero once the load stops.
      try (ServingFixture.Load load = f.new Load(url, "iris", 32)) {
        f.await("iris", s -> ServingFixture.readyReplicas(s) == 2);
        load.close();
        assertEquals(0, load.failed.get(), "failed requests under the step load: " + load.failures.stream().limit(5).toList());
      }
      f.await("iris", s -> ServingFixture.readyReplicas(s) == 0 && ServingFixture.revision(s, "iris-predictor-00001")
          .path("desiredReplicas").asInt(-1) == 0);
      f.awaitNoReplicaProcesses("iris");
      long sent = System.nanoTime();
      HttpResponse<String> first = f.infer(url, "iris");
      long millis = (System.nanoTime() - sent) / 1_000_000;
      assertEquals(200, first.statusCode(), first.body());
      System.out.println("scale from zero: request to response " + millis + " ms; the server's account:");
      java.nio.file.Files.readAllLines(f.capstan.home.resolve("server.log")).stream()
          .filter(l -> l.contains("scales from zero") || l.contains("ready ")).forEach(l -> System.out.println("  " + l));
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

  @Test
  void canaryRollbackPromotionAndABrokenRevisionDropNoRequest() throws Exception {
    try (ServingFixture f = new ServingFixture(temp)) {
      String url = f.capstan.run("run", "-f", f.capstan.manifest("v1.yaml", ServingFixture.inferenceService("mlp", "", f.model("1", false))).toString())
          .expectSuccess().stdout().strip();
      try (ServingFixture.Load load = f.new Load(url, "mlp", 4)) {
        // A canary at 20 %: of 2,000 requests, 20 % ± 3 % reach the new revision.
        f.capstan.run("apply", "-f", f.capstan.manifest("v2.yaml", ServingFixture.inferenceService("mlp", "canaryTrafficPercent: 20",
            f.model("2", false))).toString()).expectSuccess();
        f.await("mlp", s -> ServingFixture.traffic(s, "mlp-predictor-00002") == 20 && ServingFixture.traffic(s, "mlp-predictor-00001") == 80);
        int fromCanary = 0;
        for (int i = 0; i < 2000; i++) {
          HttpResponse<String> r = f.infer(url, "mlp");
          assertEquals(200, r.statusCode(), r.body());
          fromCanary += ServingFixture.versionOf(r).equals("2") ? 1 : 0;
        }
        assertTrue(fromCanary >= 340 && fromCanary <= 460, fromCanary + " of 2000 reached the canary");

        // Roll back (0 %), then promote (no canary field: 100 %).
        f.capstan.run("apply", "-f", f.capstan.manifest("v2-rollback.yaml", ServingFixture.inferenceService("mlp", "canaryTrafficPercent: 0",
            f.capstan.work.resolve("models/v2"))).toString()).expectSuccess();
        f.await("mlp", s -> ServingFixture.traffic(s, "mlp-predictor-00001") == 100);
        assertEquals("1", ServingFixture.versionOf(f.infer(url, "mlp")));
        f.capstan.run("apply", "-f", f.capstan.manifest("v2-promote.yaml", ServingFixture.inferenceService("mlp", "",
            f.capstan.work.resolve("models/v2"))).toString()).expectSuccess();
        JsonNode promoted = f.await("mlp", s -> ServingFixture.traffic(s, "mlp-predictor-00002") == 100);
        assertEquals("mlp-predictor-00002", promoted.path("status").path("components").path("predictor")
            .path("latestRolledoutRevision").asText(), promoted.toString());
        assertEquals("2", ServingFixture.versionOf(f.infer(url, "mlp")));

        // A model that cannot load: traffic stays where it was and the status says why; fixing the spec recovers.
        f.capstan.run("apply", "-f", f.capstan.manifest("v3.yaml", ServingFixture.inferenceService("mlp", "", f.model("3", true))).toString())
            .expectSuccess();
        JsonNode broken = f.await("mlp", s -> ServingFixture.revision(s, "mlp-predictor-00003").has("lastFailure"));
        assertEquals(100, ServingFixture.traffic(broken, "mlp-predictor-00002"), broken.toString());
        JsonNode failure = ServingFixture.revision(broken, "mlp-predictor-00003").path("lastFailure");
        assertEquals("ModelLoadFailed", failure.path("reason").asText(), failure.toString());
        String described = f.capstan.run("describe", "isvc", "mlp").expectSuccess().stdout();
        assertTrue(described.contains("ModelLoadFailed"), described);
        f.capstan.run("apply", "-f", f.capstan.manifest("v4.yaml", ServingFixture.inferenceService("mlp", "", f.model("4", false))).toString())
            .expectSuccess();
        f.await("mlp", s -> ServingFixture.traffic(s, "mlp-predictor-00004") == 100);
        assertEquals("4", ServingFixture.versionOf(f.infer(url, "mlp")));

        load.close();
        assertEquals(0, load.failed.get(), "failed requests during the rollouts: " + load.failures.stream().limit(5).toList());
        assertTrue(load.ok.get() > 0);
        System.out.println("rollouts under load: " + load.ok.get() + " requests answered, none failed");
      }
    }
  }
}
