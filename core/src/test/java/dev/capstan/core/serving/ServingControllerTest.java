package dev.capstan.core.serving;

import static dev.capstan.api.serving.InferenceServiceManifests.base;
import static dev.capstan.api.serving.InferenceServiceManifests.with;
import static dev.capstan.core.serving.ServingRun.rev;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.serving.RevisionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The controller and its loop: autoscaling to and from zero, status bookkeeping, deletion, bad specs, isolation. */
class ServingControllerTest {
  private final ServingRun run = new ServingRun();

  /** {@code mlp} that may scale to zero after 2 s without traffic (1 s stable window, 1 s grace). */
  private ObjectNode scalesToZero() {
    ObjectNode doc = with(base(), "spec.predictor.minReplicas", "0");
    with(doc, "spec.predictor.autoscaling", "{stableWindow: 1s, scaleToZeroGracePeriod: 1s}");
    return doc;
  }

  private void load(String revision, double concurrency) {
    run.controller.reportLoad(List.of(new RevisionLoad(new RevisionKey("team-a", "mlp", revision), run.now, concurrency,
        concurrency * 10, 0)));
  }

  @Test
  void anIdleServiceGoesToZeroKeepsItsRouteAndComesBackOnARequest() {
    run.apply(scalesToZero());
    run.passes(2);
    assertEquals(1, run.backend.desired(rev(1)), "a new revision starts one replica to prove it can be ready");
    for (int i = 0; i < 4; i++) {
      run.advance(Duration.ofSeconds(1));
      run.pass();
    }
    assertEquals(0, run.backend.desired(rev(1)));
    ServiceRoute route = run.route("mlp").orElseThrow();
    assertTrue(route.revisions().getFirst().atZero(), "the route stays, at zero, for the activator");
    assertEquals("Idle", run.status("mlp").getState());
    assertEquals("True", run.condition("mlp", "Ready").getStatus());

    run.controller.scaleFromZero(new RevisionKey("team-a", "mlp", rev(1)));
    run.pass();
    assertEquals(1, run.backend.desired(rev(1)), "a request waiting at zero asks for a replica at once");
    run.pass();
    assertFalse(run.route("mlp").orElseThrow().revisions().getFirst().atZero());
  }

  @Test
  void loadReportedByTheGatewayScalesTheRevisionUp() {
    run.apply(with(with(base(), "spec.predictor.scaleTarget", "10"), "spec.predictor.maxReplicas", "8"));
    run.passes(2);
    run.advance(Duration.ofSeconds(1));
    load(rev(1), 35);
    run.pass();
    assertEquals(5, run.backend.desired(rev(1)), "35 in flight over a target of 10 × 70 % utilisation: 5 replicas");
    assertEquals(5, run.revision("mlp", rev(1)).getDesiredReplicas());
    run.pass();
    assertEquals(5, run.route("mlp").orElseThrow().revisions().getFirst().ready().size());
  }

  @Test
  void changingOnlyTheReplicaBoundsKeepsWhatTheAutoscalerHasSeen() {
    ObjectNode doc = with(with(base(), "spec.predictor.scaleTarget", "10"), "spec.predictor.maxReplicas", "8");
    run.apply(doc);
    run.passes(2);
    run.advance(Duration.ofSeconds(1));
    load(rev(1), 35);
    run.pass();
    assertEquals(5, run.backend.desired(rev(1)));
    run.apply(with(doc, "spec.predictor.maxReplicas", "3"));
    run.pass();
    assertEquals(3, run.backend.desired(rev(1)), "capped by the new maxReplicas");
    run.apply(with(doc, "spec.predictor.maxReplicas", "8"));
    run.pass();
    assertEquals(5, run.backend.desired(rev(1)), "the load seen before the change still counts");
  }

  @Test
  void observedGenerationFollowsTheSpecAndAnUnchangedPassWritesNothing() {
    ObjectNode doc = base();
    run.apply(doc);
    run.passes(2);
    assertEquals(1L, run.status("mlp").getObservedGeneration());
    int writes = run.store.statusWrites();
    run.pass();
    assertEquals(writes, run.store.statusWrites(), "nothing changed: no status write");

    run.apply(with(doc, "spec.predictor.maxReplicas", "3"));
    run.pass();
    assertEquals(2L, run.status("mlp").getObservedGeneration());
    assertEquals(2L, run.condition("mlp", "Ready").getObservedGeneration());
  }

  @Test
  void theLoopComesBackSoonWhileStartingAndOnTheAutoscalerTickWhileServing() {
    run.backend.startsReplicas(false);
    run.apply(base());
    assertEquals(Optional.of(ServingPlanner.STARTING_POLL), run.pass());
    run.backend.startsReplicas(true);
    assertEquals(Optional.of(ServingPlanner.AUTOSCALE_TICK), run.pass());
  }

  @Test
  void deletionRemovesEveryRevisionThenTheService() {
    ObjectNode doc = base();
    run.apply(doc);
    run.passes(2);
    run.apply(with(doc, "spec.predictor.model.storageUri", "models/v2"));
    run.passes(2);
    run.delete("mlp");
    run.pass();
    assertEquals("Deleting", run.status("mlp").getState());
    assertEquals(List.of(), run.backend.names());
    assertEquals(Map.of(), run.traffic("mlp"), "the route goes at once");
    run.pass();
    assertNull(run.store.get("mlp"));
  }

  @Test
  void anInvalidSpecKeepsServingWhatRunsAndSaysWhy() {
    ObjectNode doc = base();
    run.apply(doc);
    run.passes(2);
    int actions = run.backend.applied().size();
    run.apply(with(doc, "spec.predictor.model.storageUri", "gs://bucket/model"));
    run.pass();
    assertEquals(actions, run.backend.applied().size(), "nothing created, scaled or removed");
    assertEquals(Map.of(rev(1), 100), run.traffic("mlp"));
    var latest = run.condition("mlp", "LatestDeploymentReady");
    assertEquals("InvalidSpec", latest.getReason());
    assertTrue(latest.getMessage().contains("spec.predictor.model.storageUri"), latest.getMessage());
    assertEquals("Degraded", run.status("mlp").getState());
    assertEquals(2L, run.status("mlp").getObservedGeneration());
  }

  @Test
  void aServiceWhoseReconcileThrowsIsIsolatedAndKeepsItsRoute() {
    run.apply(base());
    run.apply(with(with(base(), "metadata.name", "other"), "metadata.generation", "1"));
    run.passes(2);
    run.backend.throwOnObserve("mlp");
    Optional<Duration> next = run.pass();
    var stalled = run.condition("mlp", "Stalled");
    assertEquals("ReconcileError", stalled.getReason());
    assertTrue(stalled.getMessage().contains("backend unavailable for team-a/mlp"), stalled.getMessage());
    assertTrue(run.events.stream().anyMatch(e -> e.startsWith("Warning InferenceService team-a/mlp ReconcileError")));
    assertEquals(Map.of(rev(1), 100), run.traffic("mlp"), "its last route stays");
    assertEquals(Map.of("other-predictor-00001", 100), run.traffic("other"));
    assertEquals(Optional.of(Duration.ofSeconds(1)), next);
  }

  @Test
  void aRegistryReferenceIsResolvedAndAMovedAliasMakesANewRevision() {
    String[] version = {"3"};
    run.sources = (service, uri) -> new ModelSources.Resolved("models:/mlp/" + version[0], Optional.of(version[0]));
    run.apply(with(base(), "spec.predictor.model.storageUri", "models:/mlp@production"));
    run.passes(2);
    assertEquals("models:/mlp/3", run.revision("mlp", rev(1)).getStorageUri());
    assertEquals("3", run.revision("mlp", rev(1)).getModelVersion());
    assertEquals("models:/mlp/3", run.backend.revision(rev(1)).orElseThrow().template.storageUri());
    version[0] = "4";
    run.passes(2);
    assertEquals(Map.of(rev(2), 100), run.traffic("mlp"));
    assertEquals("4", run.revision("mlp", rev(2)).getModelVersion());
  }

  @Test
  void anUnresolvableSourceKeepsWhatRunsAndSaysWhy() {
    ObjectNode doc = base();
    run.apply(doc);
    run.passes(2);
    run.apply(with(doc, "spec.predictor.model.storageUri", "models:/mlp@production"));
    run.pass();
    assertEquals(List.of(rev(1)), run.revisionNames("mlp"));
    assertEquals(Map.of(rev(1), 100), run.traffic("mlp"));
    var latest = run.condition("mlp", "LatestDeploymentReady");
    assertEquals("SourceUnresolved", latest.getReason());
    assertTrue(latest.getMessage().contains("no model registry"), latest.getMessage());
  }

  @Test
  void aRevisionRecordedTwiceInStatusCountsOnceInsteadOfWedgingTheService() {
    run.apply(base());
    run.passes(2);
    List<RevisionStatus> recorded = run.status("mlp").getRevisions();
    recorded.add(dev.capstan.api.codec.Manifests.copy(recorded.getFirst(), RevisionStatus.class));
    run.pass();
    assertEquals(List.of(rev(1)), run.revisionNames("mlp"));
    assertEquals(Map.of(rev(1), 100), run.traffic("mlp"));
  }

  @Test
  void theRouteCarriesReadyEndpointsTheContainerConcurrencyAndTheTimeout() {
    run.apply(with(with(with(base(), "spec.predictor.containerConcurrency", "4"), "spec.predictor.minReplicas", "2"),
        "spec.predictor.timeout", "7"));
    run.passes(2);
    RevisionRoute route = run.route("mlp").orElseThrow().revisions().getFirst();
    assertEquals(4, route.containerConcurrency());
    assertEquals(Duration.ofSeconds(7), route.timeout(), "the gateway bounds its wait for an answer by the predictor's timeout");
    assertEquals(2, route.ready().size());
    assertEquals(Instant.parse("2026-03-01T09:00:00Z").toString(), run.revision("mlp", rev(1)).getCreatedAt());
  }
}
