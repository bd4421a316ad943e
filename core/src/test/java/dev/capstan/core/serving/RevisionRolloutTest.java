package dev.capstan.core.serving;

import static dev.capstan.api.serving.InferenceServiceManifests.base;
import static dev.capstan.api.serving.InferenceServiceManifests.with;
import static dev.capstan.core.serving.ServingRun.rev;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Revisions are made on predictor changes only; traffic moves by the canary rules; nothing unready takes traffic. */
class RevisionRolloutTest {
  private final ServingRun run = new ServingRun();

  /** {@code mlp} with its first revision ready and taking every request. */
  private ObjectNode servingFirstRevision() {
    ObjectNode doc = base();
    run.apply(doc);
    run.passes(2);
    assertEquals(Map.of(rev(1), 100), run.traffic("mlp"));
    return doc;
  }

  @Test
  void theFirstRevisionTakesTrafficOnlyOnceReady() {
    run.backend.startsReplicas(false);
    run.apply(base());
    run.pass();
    assertEquals(1, run.backend.desired(rev(1)), "minReplicas 1: one replica starts");
    assertEquals(Map.of(), run.traffic("mlp"), "no route before a replica is ready");
    assertEquals("Pending", run.status("mlp").getState());
    assertEquals("RevisionStarting", run.condition("mlp", "LatestDeploymentReady").getReason());
    assertEquals("False", run.condition("mlp", "Ready").getStatus());

    run.backend.startsReplicas(true);
    run.pass();
    assertEquals(Map.of(rev(1), 100), run.traffic("mlp"));
    assertEquals("Ready", run.status("mlp").getState());
    for (String type : List.of("Ready", "PredictorReady", "IngressReady", "LatestDeploymentReady", "RolledOut")) {
      assertEquals("True", run.condition("mlp", type).getStatus(), type);
    }
    assertEquals("http://127.0.0.1:8090/serving/team-a/mlp", run.status("mlp").getUrl());
    assertEquals(run.status("mlp").getUrl(), run.status("mlp").getAddress().getUrl());
    var predictor = run.status("mlp").getComponents().getPredictor();
    assertEquals(List.of(rev(1), rev(1), rev(1)), List.of(predictor.getLatestCreatedRevision(), predictor.getLatestReadyRevision(),
        predictor.getLatestRolledoutRevision()));
    assertEquals(100, predictor.getTraffic().getFirst().getPercent());
    assertEquals(true, predictor.getTraffic().getFirst().getLatestRevision());
    assertEquals(1, run.revision("mlp", rev(1)).getReadyReplicas());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "spec.predictor.minReplicas | 2",
      "spec.predictor.maxReplicas | 7",
      "spec.predictor.scaleTarget | 3",
      "spec.predictor.scaleMetric | rps",
      "spec.predictor.canaryTrafficPercent | 30",
      "spec.predictor.autoscaling | {stableWindow: 10s}",
  })
  void scalingAndTrafficFieldsKeepTheRevision(String field, String value) {
    ObjectNode doc = servingFirstRevision();
    run.apply(with(doc, field, value));
    run.passes(2);
    assertEquals(List.of(rev(1)), run.revisionNames("mlp"));
    assertEquals(2L, run.status("mlp").getObservedGeneration());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "spec.predictor.model.storageUri | models/mlp-v2",
      "spec.predictor.model.modelFormat.name | pytorch",
      "spec.predictor.batching | {maxBatchSize: 8}",
      "spec.predictor.resources | {limits: {cpu: '2'}}",
      "spec.predictor.containerConcurrency | 4",
      "spec.predictor.timeout | 5",
  })
  void predictorChangesMakeANewRevision(String field, String value) {
    ObjectNode doc = servingFirstRevision();
    run.apply(with(doc, field, value));
    run.passes(2);
    assertEquals(List.of(rev(1), rev(2)), run.revisionNames("mlp"));
    assertEquals(Map.of(rev(2), 100), run.traffic("mlp"), "no canary: the new revision is promoted once ready");
    assertEquals(2L, run.revision("mlp", rev(2)).getGeneration());
  }

  @Test
  void aCanaryOfTwentyPercentThenPromote() {
    ObjectNode doc = servingFirstRevision();
    run.backend.startsReplicas(false);
    run.apply(with(with(doc, "spec.predictor.model.storageUri", "models/mlp-v2"), "spec.predictor.canaryTrafficPercent", "20"));
    run.pass();
    assertEquals(Map.of(rev(1), 100), run.traffic("mlp"), "the canary takes traffic only once ready");
    assertEquals("RollingOut", run.status("mlp").getState());
    assertEquals("RevisionStarting", run.condition("mlp", "RolledOut").getReason());

    run.backend.startsReplicas(true);
    run.pass();
    assertEquals(Map.of(rev(2), 20, rev(1), 80), run.traffic("mlp"));
    assertEquals("CanaryInProgress", run.condition("mlp", "RolledOut").getReason());
    assertEquals("True", run.condition("mlp", "Ready").getStatus());
    assertEquals(rev(1), run.status("mlp").getComponents().getPredictor().getLatestRolledoutRevision());
    assertEquals(20, run.revision("mlp", rev(2)).getTrafficPercent());

    run.apply(with(doc, "spec.predictor.canaryTrafficPercent", "null"));
    run.pass();
    assertEquals(Map.of(rev(2), 100), run.traffic("mlp"));
    assertEquals(rev(2), run.status("mlp").getComponents().getPredictor().getLatestRolledoutRevision());
    assertEquals(1, run.backend.desired(rev(1)), "the old revision keeps its replica while the gateway moves away");
    run.pass();
    assertEquals(0, run.backend.desired(rev(1)), "then goes to zero");
    assertEquals("Retired", run.revision("mlp", rev(1)).getState());
    assertEquals("True", run.condition("mlp", "RolledOut").getStatus());
  }

  @Test
  void aCanaryOfZeroRollsBackAndAHundredPromotes() {
    ObjectNode doc = servingFirstRevision();
    run.apply(with(with(doc, "spec.predictor.model.storageUri", "models/mlp-v2"), "spec.predictor.canaryTrafficPercent", "20"));
    run.passes(2);
    assertEquals(Map.of(rev(2), 20, rev(1), 80), run.traffic("mlp"));

    run.apply(with(doc, "spec.predictor.canaryTrafficPercent", "0"));
    run.passes(2);
    assertEquals(Map.of(rev(1), 100), run.traffic("mlp"));
    assertEquals("RolledBack", run.condition("mlp", "RolledOut").getReason());
    assertEquals("Ready", run.revision("mlp", rev(2)).getState(), "the rolled-back revision stays, at zero, for another try");
    assertEquals(0, run.backend.desired(rev(2)));

    run.apply(with(doc, "spec.predictor.canaryTrafficPercent", "100"));
    run.pass();
    assertEquals(Map.of(rev(2), 100), run.traffic("mlp"));
    assertEquals(List.of(rev(1), rev(2)), run.revisionNames("mlp"), "rolling forward again made no new revision");
  }

  @Test
  void aBrokenRevisionLeavesTrafficWhereItWasAndAFixRecovers() {
    ObjectNode doc = servingFirstRevision();
    run.backend.fail(rev(2), RevisionFailureReason.ModelLoadFailed, "model.onnx: protobuf parsing failed");
    run.apply(with(doc, "spec.predictor.model.storageUri", "models/broken"));
    run.passes(3);
    assertEquals(Map.of(rev(1), 100), run.traffic("mlp"));
    assertEquals("Degraded", run.status("mlp").getState());
    assertEquals("True", run.condition("mlp", "Ready").getStatus(), "the service still serves");
    var latest = run.condition("mlp", "LatestDeploymentReady");
    assertEquals("False", latest.getStatus());
    assertEquals("RevisionFailed", latest.getReason());
    assertTrue(latest.getMessage().contains("ModelLoadFailed: model.onnx: protobuf parsing failed"), latest.getMessage());
    assertEquals("RevisionFailed", run.condition("mlp", "RolledOut").getReason());
    var failed = run.revision("mlp", rev(2));
    assertEquals("Failed", failed.getState());
    assertEquals("ModelLoadFailed", failed.getLastFailure().getReason());
    assertEquals(0, run.backend.desired(rev(2)), "a failed revision runs no replica");
    assertTrue(run.events.stream().anyMatch(e -> e.startsWith("Warning InferenceService team-a/mlp Degraded")), run.events.toString());
    int writes = run.store.statusWrites();
    run.advance(java.time.Duration.ofSeconds(5));
    run.passes(2);
    assertEquals(writes, run.store.statusWrites(), "the same failure seen again writes nothing");

    run.apply(with(doc, "spec.predictor.model.storageUri", "models/fixed"));
    run.passes(2);
    assertEquals(Map.of(rev(3), 100), run.traffic("mlp"));
    assertEquals("Ready", run.status("mlp").getState());
    assertEquals("Retired", run.revision("mlp", rev(2)).getState());
  }

  @Test
  void theOnlyRevisionFailingLeavesNoRoute() {
    run.backend.fail(rev(1), RevisionFailureReason.ModelFetchFailed, "HTTP 404 from https://models.example.com/x");
    run.apply(base());
    run.passes(2);
    assertEquals(Map.of(), run.traffic("mlp"));
    assertEquals("Failed", run.status("mlp").getState());
    assertEquals("RevisionFailed", run.condition("mlp", "PredictorReady").getReason());
    assertEquals("NotRouted", run.condition("mlp", "IngressReady").getReason());
  }

  @Test
  void oldRevisionsAreCollectedAndTheNewestThreeKept() {
    ObjectNode doc = servingFirstRevision();
    for (int v = 2; v <= 6; v++) {
      run.apply(with(doc, "spec.predictor.model.storageUri", "models/mlp-v" + v));
      run.passes(3);
      assertEquals(Map.of(rev(v), 100), run.traffic("mlp"));
    }
    assertEquals(List.of(rev(4), rev(5), rev(6)), run.revisionNames("mlp"));
    assertEquals(List.of(rev(4), rev(5), rev(6)), run.backend.names(), "the backend holds what the status keeps");
    assertTrue(run.backend.applied().stream().anyMatch(a -> a instanceof RevisionAction.Remove r && r.revision().revision().equals(rev(1))));

    run.apply(with(doc, "spec.predictor.model.storageUri", "models/mlp-v1"));
    run.passes(2);
    assertEquals(Map.of(rev(7), 100), run.traffic("mlp"), "a number is never reused, even for a model seen before");
  }

  @Test
  void theBackendsOrphansAreRemoved() {
    servingFirstRevision();
    RevisionTemplate t = run.backend.revision(rev(1)).orElseThrow().template;
    RevisionTemplate orphan = new RevisionTemplate(new RevisionKey("team-a", "mlp", "mlp-predictor-00042"), t.predictor(),
        t.storageUri(), t.modelVersion());
    run.backend.apply(run.store.get("mlp"), List.of(new RevisionAction.Scale(orphan, 1)));
    run.pass();
    assertEquals(List.of(rev(1)), run.backend.names());
  }
}
