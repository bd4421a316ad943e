package dev.capstan.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.registry.Lineage;
import dev.capstan.api.registry.Model;
import dev.capstan.api.registry.ModelVersion;
import dev.capstan.api.serving.InferenceService;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which versions a lineage question selects, what serves each, and which services keep a version or alias in use. */
class LineageTraceTest {
  static final Model IRIS = Manifests.json().convertValue(Map.of("metadata", Map.of("namespace", "ml", "name", "iris"),
      "spec", Map.of("aliases", Map.of("production", 2, "staging", 2))), Model.class);
  static final ModelVersion V1 = version(1, "train-a", "s3://models/ml/iris/1/1");
  static final ModelVersion V2 = version(2, "train-b", "s3://models/ml/iris/2/1");
  static final InferenceService FOLLOWS_ALIAS = service("svc-a", "models:/iris@production", false,
      revision("svc-a-predictor-00001", "models:/iris/1", "1", "Retired", 0),
      revision("svc-a-predictor-00002", "models:/iris/2", "2", "Ready", 100));
  static final InferenceService PINNED = service("svc-b", "models:/iris/1", false,
      revision("svc-b-predictor-00001", "s3://models/ml/iris/1/1", null, "Ready", 100));
  static final InferenceService GOING = service("svc-c", "models:/iris/1", true);
  static final LineageTrace.Stored STORED = new LineageTrace.Stored("ml", List.of(IRIS), List.of(V1, V2),
      List.of(FOLLOWS_ALIAS, PINNED, GOING));

  @Test
  void anAliasSelectsTheVersionItPointsAtWithItsServingRevisions() {
    LineageTrace trace = LineageTrace.ofModel(STORED, "iris", null, "production");
    assertEquals("model/iris@production", trace.subject());
    LineageTrace.VersionTrace v = trace.versions().get(0);
    assertEquals(List.of(2L), trace.versions().stream().map(LineageTrace.VersionTrace::version).toList());
    assertEquals(List.of("production", "staging"), v.aliases());
    assertEquals("train-b", v.lineage().job().name());
    assertEquals(List.of("svc-a-predictor-00002"), v.servedBy().stream().map(ModelServing.Revision::revision).toList());
    assertEquals(2, LineageTrace.ofModel(STORED, "iris", null, null).versions().size());
    assertThrows(RegistryException.class, () -> LineageTrace.ofModel(STORED, "iris", null, "canary"));
    assertThrows(RegistryException.class, () -> LineageTrace.ofModel(STORED, "iris", 7L, null));
  }

  @Test
  void fromAJobAndFromAServiceBackwards() {
    LineageTrace.VersionTrace fromJob = LineageTrace.ofJob(STORED, "train-a").versions().get(0);
    assertEquals(1, fromJob.version());
    assertEquals(List.of("svc-a-predictor-00001", "svc-b-predictor-00001"),
        fromJob.servedBy().stream().map(ModelServing.Revision::revision).toList(), "by pinned URI and by artifact URI");
    assertEquals(List.of(1L, 2L), LineageTrace.ofService(STORED, "svc-a").versions().stream().map(LineageTrace.VersionTrace::version).toList());
    assertEquals(List.of(), LineageTrace.ofJob(STORED, "never-ran").versions());
  }

  @Test
  void aVersionOrAliasInUseNamesItsLiveServices() {
    Map<String, Long> aliases = IRIS.getSpec().getAliases();
    assertEquals(List.of("svc-b"), ModelServing.servicesUsingVersion(STORED.services(), "ml", "iris", 1, aliases, V1.getStatus().getStorageUri()),
        "svc-a's revision of v1 is retired; svc-c is being deleted");
    assertEquals(List.of("svc-a"), ModelServing.servicesUsingVersion(STORED.services(), "ml", "iris", 2, aliases, null));
    assertEquals(List.of("svc-a"), ModelServing.servicesFollowingAlias(STORED.services(), "ml", "iris", "production"));
    assertEquals(List.of(), ModelServing.servicesFollowingAlias(STORED.services(), "ml", "iris", "staging"));
    assertEquals(List.of(), ModelServing.servicesUsingVersion(STORED.services(), "other", "iris", 2, aliases, null));
    assertEquals(2, ModelServing.versionNumber("models:/iris/2"));
    assertEquals(-1, ModelServing.versionNumber("iris@prod"));
  }

  static ModelVersion version(long n, String job, String storageUri) {
    ModelVersion v = Manifests.json().convertValue(Map.of("metadata", Map.of("namespace", "ml", "name", "iris-" + n),
        "spec", Map.of("model", "iris", "version", n), "status", Map.of("state", "READY", "storageUri", storageUri)), ModelVersion.class);
    v.getSpec().setLineage(new Lineage(new Lineage.Job("ml", job, "uid-" + job, 1L), "pytorch", List.of("python3"), List.of(),
        Map.of(), null, null));
    return v;
  }

  static InferenceService service(String name, String storageUri, boolean deleting, Map<?, ?>... revisions) {
    Map<String, Object> meta = new java.util.LinkedHashMap<>(Map.of("namespace", "ml", "name", name));
    if (deleting) {
      meta.put("deletionTimestamp", "2026-01-01T00:00:00Z");
    }
    return Manifests.json().convertValue(Map.of("apiVersion", "capstan.dev/v1alpha1", "kind", "InferenceService", "metadata", meta,
        "spec", Map.of("predictor", Map.of("model", Map.of("modelFormat", Map.of("name", "onnx"), "storageUri", storageUri))),
        "status", Map.of("revisions", List.of(revisions))), InferenceService.class);
  }

  static Map<String, Object> revision(String name, String storageUri, String modelVersion, String state, int traffic) {
    Map<String, Object> r = new java.util.LinkedHashMap<>(Map.of("name", name, "storageUri", storageUri, "state", state,
        "trafficPercent", traffic));
    if (modelVersion != null) {
      r.put("modelVersion", modelVersion);
    }
    return r;
  }
}
