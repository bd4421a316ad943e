package dev.capstan.api.serving;

import static dev.capstan.api.serving.InferenceServiceManifests.base;
import static dev.capstan.api.serving.InferenceServiceManifests.model;
import static dev.capstan.api.serving.InferenceServiceManifests.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Kinds;
import dev.capstan.api.registry.ModelUri;
import dev.capstan.api.validation.FieldError;
import dev.capstan.api.validation.InvalidSpecException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every refused value of an InferenceService is reported at its field path with its reason; defaults are KServe's. */
class InferenceServiceValidationTest {

  @Test
  void defaultsFollowKServe() {
    InferenceServiceModel m = model(base());
    assertEquals("team-a", m.namespace());
    assertEquals("mlp", m.name());
    assertEquals(PredictorFormat.ONNX, m.predictor().format());
    assertEquals(StorageUri.Scheme.PATH, m.predictor().storageUri().scheme());
    assertEquals("capstan", m.predictor().runtime());
    assertEquals(Batching.NONE, m.predictor().batching());
    assertEquals(0, m.predictor().containerConcurrency());
    assertEquals(Duration.ofSeconds(60), m.predictor().timeout());
    assertEquals(1, m.scaling().minReplicas(), "minReplicas defaults to 1, as KServe's");
    assertEquals(10, m.scaling().maxReplicas());
    assertEquals(ScaleMetric.CONCURRENCY, m.scaling().metric());
    assertEquals(Optional.empty(), m.scaling().target());
    assertEquals(AutoscalingOverrides.NONE, m.scaling().overrides());
    assertEquals(OptionalInt.empty(), m.canaryTrafficPercent());
    assertEquals(100, m.latestRevisionPercent());
  }

  @Test
  void everyFieldIsRead() {
    ObjectNode doc = base();
    with(doc, "spec.predictor.minReplicas", "0");
    with(doc, "spec.predictor.maxReplicas", "4");
    with(doc, "spec.predictor.scaleMetric", "rps");
    with(doc, "spec.predictor.scaleTarget", "50");
    with(doc, "spec.predictor.containerConcurrency", "8");
    with(doc, "spec.predictor.timeout", "30");
    with(doc, "spec.predictor.canaryTrafficPercent", "20");
    with(doc, "spec.predictor.batching", "{maxBatchSize: 16, maxLatency: 2ms, maxQueue: 64, workers: 2}");
    with(doc, "spec.predictor.resources", "{requests: {cpu: 500m, memory: 256Mi}}");
    with(doc, "spec.predictor.autoscaling", "{stableWindow: 30s, panicWindowPercentage: 20, panicThresholdPercentage: 300,"
        + " targetUtilizationPercentage: 80, maxScaleUpRate: 10, maxScaleDownRate: 4, scaleToZeroGracePeriod: 5s}");
    with(doc, "spec.predictor.model.storageUri", "models:/mlp@production");
    InferenceServiceModel m = model(doc);
    assertEquals(new Scaling(0, 4, ScaleMetric.RPS, Optional.of(50.0), new AutoscalingOverrides(
        Optional.of(Duration.ofSeconds(30)), Optional.of(20.0), Optional.of(300.0), Optional.of(80.0), Optional.of(10.0),
        Optional.of(4.0), Optional.of(Duration.ofSeconds(5)))), m.scaling());
    assertEquals(new Batching(16, Duration.ofMillis(2), 64, 2), m.predictor().batching());
    assertEquals(8, m.predictor().containerConcurrency());
    assertEquals(Duration.ofSeconds(30), m.predictor().timeout());
    assertEquals(20, m.latestRevisionPercent());
    assertEquals("500m", m.predictor().resources().getRequests().get("cpu").toString());
    assertEquals(new ModelUri("mlp", Optional.empty(), Optional.of("production")),
        m.predictor().storageUri().registryRef().orElseThrow());
  }

  @Test
  void knativeAnnotationsAreOverridesAndTheSpecWins() {
    ObjectNode doc = base();
    with(doc, "metadata.annotations[autoscaling.knative.dev/window]", "20s");
    with(doc, "metadata.annotations[autoscaling.knative.dev/min-scale]", "'0'");
    with(doc, "metadata.annotations[autoscaling.knative.dev/max-scale]", "'3'");
    with(doc, "metadata.annotations[autoscaling.knative.dev/target]", "'7'");
    with(doc, "metadata.annotations[autoscaling.knative.dev/metric]", "rps");
    with(doc, "metadata.annotations[autoscaling.knative.dev/class]", "kpa.autoscaling.knative.dev");
    with(doc, "metadata.annotations[autoscaling.knative.dev/panic-threshold-percentage]", "'150.0'");
    with(doc, "spec.predictor.maxReplicas", "5");
    Scaling s = model(doc).scaling();
    assertEquals(0, s.minReplicas());
    assertEquals(5, s.maxReplicas(), "the spec field wins over max-scale");
    assertEquals(ScaleMetric.RPS, s.metric());
    assertEquals(Optional.of(7.0), s.target());
    assertEquals(Optional.of(Duration.ofSeconds(20)), s.overrides().stableWindow());
    assertEquals(Optional.of(150.0), s.overrides().panicThresholdPercentage());
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
      "metadata.name | a-name-that-is-far-too-long-for-a-revision-name-xx | metadata.name | at most 47 characters",
      "metadata.name | 1mlp | metadata.name | must start with a letter",
      "metadata.name | Mlp | metadata.name | lowercase",
      "spec.predictor.model | null | spec.predictor.model | required",
      "spec.predictor.model.modelFormat.name | sklearn | spec.predictor.model.modelFormat.name | must be one of [onnx, pytorch, capstan-djl]",
      "spec.predictor.model.modelFormat | null | spec.predictor.model.modelFormat.name | required",
      "spec.predictor.model.runtime | kserve-tritonserver | spec.predictor.model.runtime | only Capstan's model server",
      "spec.predictor.model.storageUri | null | spec.predictor.model.storageUri | required",
      "spec.predictor.model.storageUri | gs://bucket/model | spec.predictor.model.storageUri | scheme 'gs:' is not supported",
      "spec.predictor.model.storageUri | pvc://claim/model | spec.predictor.model.storageUri | scheme 'pvc:' is not supported",
      "spec.predictor.model.storageUri | 'https:///x' | spec.predictor.model.storageUri | needs a host",
      "spec.predictor.model.storageUri | 'https://user:pw@host/m.onnx' | spec.predictor.model.storageUri | must not carry credentials",
      "spec.predictor.model.storageUri | 's3:///key' | spec.predictor.model.storageUri | names a bucket",
      "spec.predictor.model.storageUri | 'file://' | spec.predictor.model.storageUri | needs a path",
      "spec.predictor.model.storageUri | 'models:/mlp' | spec.predictor.model.storageUri | models:/NAME/VERSION or models:/NAME@ALIAS",
      "spec.predictor.model.storageUri | 'models:/mlp/0' | spec.predictor.model.storageUri | at least 1",
      "spec.predictor.model.storageUri | 'models:/mlp@latest' | spec.predictor.model.storageUri | reserved",
      "spec.predictor.model.storageUri | 'models:/Bad_Name/1' | spec.predictor.model.storageUri | lowercase",
      "spec.predictor.minReplicas | -1 | spec.predictor.minReplicas | at least 0",
      "spec.predictor.maxReplicas | 0 | spec.predictor.maxReplicas | at least 1",
      "spec.predictor.maxReplicas | 1001 | spec.predictor.maxReplicas | at most 1000",
      "spec.predictor.scaleMetric | cpu | spec.predictor.scaleMetric | must be one of [concurrency, rps]",
      "spec.predictor.scaleTarget | 0 | spec.predictor.scaleTarget | between 0.01 and 1000000",
      "spec.predictor.containerConcurrency | 1001 | spec.predictor.containerConcurrency | at most 1000",
      "spec.predictor.timeout | 0 | spec.predictor.timeout | at least 1",
      "spec.predictor.timeout | 3601 | spec.predictor.timeout | at most 3600",
      "spec.predictor.canaryTrafficPercent | 101 | spec.predictor.canaryTrafficPercent | at most 100",
      "spec.predictor.canaryTrafficPercent | -1 | spec.predictor.canaryTrafficPercent | at least 0",
      "spec.predictor.batching.maxBatchSize | 4097 | spec.predictor.batching.maxBatchSize | at most 4096",
      "spec.predictor.batching.maxLatency | 11s | spec.predictor.batching.maxLatency | between 0s and 10s",
      "spec.predictor.batching.maxLatency | soon | spec.predictor.batching.maxLatency | must be a duration",
      "spec.predictor.batching.maxQueue | 0 | spec.predictor.batching.maxQueue | at least 1",
      "spec.predictor.batching.workers | 257 | spec.predictor.batching.workers | at most 256",
      "spec.predictor.resources.requests.cpu | 2000000 | spec.predictor.resources.requests.cpu | at most 1000000",
      "spec.predictor.resources.limits.memory | 2Ei | spec.predictor.resources.limits.memory | at most 1Ei",
      "spec.predictor.autoscaling.stableWindow | 500ms | spec.predictor.autoscaling.stableWindow | between 1s and 3600s",
      "spec.predictor.autoscaling.scaleToZeroGracePeriod | 2h | spec.predictor.autoscaling.scaleToZeroGracePeriod | between 0s and 3600s",
      "spec.predictor.autoscaling.panicWindowPercentage | 0.5 | spec.predictor.autoscaling.panicWindowPercentage | between 1 and 100",
      "spec.predictor.autoscaling.panicThresholdPercentage | 100 | spec.predictor.autoscaling.panicThresholdPercentage | between 110 and 1000",
      "spec.predictor.autoscaling.targetUtilizationPercentage | 101 | spec.predictor.autoscaling.targetUtilizationPercentage | between 1 and 100",
      "spec.predictor.autoscaling.maxScaleUpRate | 1 | spec.predictor.autoscaling.maxScaleUpRate | more than 1",
      "spec.predictor.autoscaling.maxScaleDownRate | 10001 | spec.predictor.autoscaling.maxScaleDownRate | between 1 and 10000",
      "metadata.annotations[autoscaling.knative.dev/class] | hpa.autoscaling.knative.dev | metadata.annotations[autoscaling.knative.dev/class] | only the kpa.autoscaling.knative.dev autoscaler",
      "metadata.annotations[autoscaling.knative.dev/initial-scale] | '2' | metadata.annotations[autoscaling.knative.dev/initial-scale] | not supported",
      "metadata.annotations[autoscaling.knative.dev/min-scale] | 'two' | metadata.annotations[autoscaling.knative.dev/min-scale] | must be a number",
      "metadata.annotations[autoscaling.knative.dev/max-scale] | '1.5' | metadata.annotations[autoscaling.knative.dev/max-scale] | whole number",
      "metadata.annotations[autoscaling.knative.dev/window] | 60 | metadata.annotations[autoscaling.knative.dev/window] | must be a duration",
      "metadata.annotations[autoscaling.knative.dev/target-utilization-percentage] | '0' | metadata.annotations[autoscaling.knative.dev/target-utilization-percentage] | between 1 and 100",
  })
  void refusedValuesNameTheirField(String field, String value, String path, String reason) {
    ObjectNode doc = with(base(), field, value);
    InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> model(doc));
    assertTrue(e.errors().stream().anyMatch(f -> f.path().equals(path) && f.reason().contains(reason)),
        "expected " + path + ": …" + reason + "…, got " + e.errors());
  }

  @Test
  void minAboveMaxIsReportedAtMin() {
    ObjectNode doc = with(with(base(), "spec.predictor.minReplicas", "5"), "spec.predictor.maxReplicas", "2");
    InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> model(doc));
    assertEquals(List.of(new FieldError("spec.predictor.minReplicas", "must not exceed maxReplicas (5 > 2)")), e.errors());
  }

  @Test
  void anEmptyNameIsRequiredNotACrash() {
    InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> model(with(base(), "metadata.name", "''")));
    assertEquals(List.of(new FieldError("metadata.name", "required")), e.errors());
  }

  @Test
  void everyErrorIsReportedNotOnlyTheFirst() {
    ObjectNode doc = with(with(base(), "spec.predictor.timeout", "0"), "spec.predictor.canaryTrafficPercent", "200");
    assertEquals(2, assertThrows(InvalidSpecException.class, () -> model(doc)).errors().size());
  }

  @Test
  void sourcesOfEverySupportedScheme() {
    for (String uri : List.of("models/mlp", "/srv/models/mlp.onnx", "file:///srv/m.onnx", "http://host:8000/m.onnx",
        "https://host/m.onnx", "s3://bucket/key/m.onnx", "models:/mlp/3", "models:/mlp@production")) {
      assertEquals(uri, model(with(base(), "spec.predictor.model.storageUri", "'" + uri + "'")).predictor().storageUri().text());
    }
  }

  @Test
  void aNameOfFortySevenCharactersLeavesRoomForEveryRevisionName() {
    String name = "a" + "b".repeat(46);
    model(with(base(), "metadata.name", name));
    assertEquals(63, RevisionNames.name(name, InferenceServiceLimits.MAX_REVISION_NUMBER).length());
  }

  @Test
  void revisionNamesAreNumberedWithFiveDigits() {
    assertEquals("mlp-predictor-00001", RevisionNames.name("mlp", 1));
    assertEquals(OptionalInt.of(12), RevisionNames.number("mlp", "mlp-predictor-00012"));
    assertEquals(OptionalInt.empty(), RevisionNames.number("mlp", "other-predictor-00012"));
    assertEquals(OptionalInt.empty(), RevisionNames.number("mlp", "mlp-predictor-12"));
  }

  @Test
  void aRecordedTemplateReadsBackEqual() {
    ObjectNode doc = with(base(), "spec.predictor.batching", "{maxBatchSize: 8, maxLatency: 500us}");
    with(doc, "spec.predictor.resources", "{limits: {cpu: '2'}}");
    PredictorTemplate t = model(doc).predictor();
    assertEquals(t, PredictorTemplate.from(t.toSpec(), "status.revisions[0].predictor"));
  }

  @Test
  void theKindIsRegisteredWithItsShortName() {
    assertEquals(Kinds.INFERENCE_SERVICE, Kinds.lookup("isvc").orElseThrow());
    assertEquals(Kinds.INFERENCE_SERVICE, Kinds.lookup("inferenceservices").orElseThrow());
    assertEquals(InferenceService.class, Kinds.byKind("InferenceService").orElseThrow().type());
  }
}
