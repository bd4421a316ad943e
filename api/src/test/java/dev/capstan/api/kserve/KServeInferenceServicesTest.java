package dev.capstan.api.kserve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.api.kubeflow.FieldNote;
import dev.capstan.api.serving.Batching;
import dev.capstan.api.serving.InferenceService;
import dev.capstan.api.serving.InferenceServiceManifests;
import dev.capstan.api.serving.InferenceServiceModel;
import dev.capstan.api.serving.PredictorFormat;
import dev.capstan.api.validation.InvalidSpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** KServe v1beta1 InferenceServices convert to Capstan's; what cannot be honoured is an error at the KServe path. */
class KServeInferenceServicesTest {

  private static ObjectNode kserve(String predictor) {
    return Manifests.parseDocuments("""
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata:
          name: sklearn-free
          namespace: team-a
          annotations: {autoscaling.knative.dev/target: "5"}
        spec:
          predictor:""" + (predictor.startsWith("{") ? " " + predictor : "\n" + predictor.indent(4)), "test").getFirst();
  }

  private static InferenceServiceModel model(ObjectNode manifest) {
    return InferenceServiceModel.from((InferenceService) Manifests.toResource(manifest));
  }

  @Test
  void thePredictorModelFormConverts() {
    InferenceServiceModel m = model(kserve("""
        minReplicas: 0
        maxReplicas: 3
        scaleMetric: concurrency
        scaleTarget: 4
        containerConcurrency: 8
        timeout: 20
        canaryTrafficPercent: 10
        batcher: {maxBatchSize: 32, maxLatency: 5}
        model:
          modelFormat: {name: onnx, version: "1"}
          protocolVersion: v2
          storageUri: https://models.example.com/mlp.onnx
          resources: {limits: {cpu: "1"}}
        """));
    assertEquals("team-a", m.namespace());
    assertEquals(PredictorFormat.ONNX, m.predictor().format());
    assertEquals(Optional.of("1"), m.predictor().formatVersion());
    assertEquals("https://models.example.com/mlp.onnx", m.predictor().storageUri().text());
    assertEquals(new Batching(32, Duration.ofMillis(5), Batching.DEFAULT_MAX_QUEUE, 0), m.predictor().batching());
    assertEquals(0, m.scaling().minReplicas());
    assertEquals(3, m.scaling().maxReplicas());
    assertEquals(Optional.of(4.0), m.scaling().target(), "the spec's scaleTarget wins over the annotation");
    assertEquals(8, m.predictor().containerConcurrency());
    assertEquals(Duration.ofSeconds(20), m.predictor().timeout());
    assertEquals(10, m.latestRevisionPercent());
    assertEquals("1", m.predictor().resources().getLimits().get("cpu").toString());
  }

  @Test
  void theOlderOnnxAndPytorchFormsConvert() {
    InferenceServiceModel onnx = model(kserve("onnx: {storageUri: 's3://bucket/mlp', runtimeVersion: '1.16'}"));
    assertEquals(PredictorFormat.ONNX, onnx.predictor().format());
    assertEquals("s3://bucket/mlp", onnx.predictor().storageUri().text());
    assertEquals(Optional.of(5.0), onnx.scaling().target(), "read from autoscaling.knative.dev/target");

    ConvertedService pytorch = KServeInferenceServices.convert(kserve("pytorch: {storageUri: 'file:///models/net'}"));
    assertEquals(PredictorFormat.PYTORCH, model(pytorch.inferenceService()).predictor().format());
    assertEquals(List.of("spec.predictor.pytorch"), pytorch.notes().stream().map(FieldNote::path).toList());
  }

  @Test
  void acceptedFieldsCapstanDoesNotActOnAreNotedByPath() {
    ConvertedService c = KServeInferenceServices.convert(kserve("""
        serviceAccountName: s3-reader
        nodeSelector: {pool: cpu}
        batcher: {maxBatchSize: 4, timeout: 60}
        model:
          modelFormat: {name: onnx}
          runtime: kserve-tritonserver
          storageUri: models/mlp
        """));
    assertEquals(List.of("spec.predictor.serviceAccountName", "spec.predictor.nodeSelector", "spec.predictor.batcher.timeout",
        "spec.predictor.model.runtime"), c.notes().stream().map(FieldNote::path).toList());
    assertEquals("InferenceService team-a/sklearn-free: serving.kserve.io/v1beta1 converted to capstan.dev/v1alpha1", c.summary());
    assertEquals("serving.kserve.io/v1beta1",
        c.inferenceService().path("metadata").path("annotations").path(KServeInferenceServices.SOURCE_API_VERSION).asText());
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', value = {
      "sklearn: {storageUri: 's3://b/m'} | spec.predictor.sklearn | not supported",
      "model: {modelFormat: {name: sklearn}, storageUri: 's3://b/m'} | spec.predictor.model.modelFormat.name | not supported",
      "model: {modelFormat: {name: onnx}, storageUri: m, protocolVersion: v1} | spec.predictor.model.protocolVersion | Open Inference Protocol",
      "model: {modelFormat: {name: onnx}, storageUri: m, image: my/server} | spec.predictor.model.image | runs its own model server",
      "model: {modelFormat: {name: onnx}, storageUri: m, env: []} | spec.predictor.model.env | runs its own model server",
      "containers: [] | spec.predictor.containers | runs its own model server",
      "logger: {mode: all} | spec.predictor.logger | not supported",
      "minReplicas: 1 | spec.predictor.model | required",
      "{model: {modelFormat: {name: onnx}, storageUri: m}, onnx: {storageUri: m}} | spec.predictor | give one model",
      "{model: {modelFormat: {name: onnx}, storageUri: m}, batcher: {maxLatency: 1.5}} | spec.predictor.batcher.maxLatency | whole number of milliseconds",
      "{model: {modelFormat: {name: onnx}, storageUri: m}, batcher: {maxBatchSize: 0}} | spec.predictor.batcher.maxBatchSize | at least 1",
      "{onnx: {storageUri: 'gs://b/m'}} | spec.predictor.onnx.storageUri | scheme 'gs:' is not supported",
      "{model: {modelFormat: {name: onnx}, storageUri: m, resources: {limits: {cpu: lots}}}} | spec.predictor.model.resources.limits.cpu | ",
      "{model: {modelFormat: {name: onnx}, storageUri: m}, scaleMetric: cpu} | spec.predictor.scaleMetric | must be one of",
      "{model: {modelFormat: {name: onnx}, storageUri: m}, minReplicaz: 1} | spec.predictor.minReplicaz | unknown field",
  })
  void whatCannotBeHonouredIsAnErrorAtTheKServePath(String predictor, String path, String reason) {
    ObjectNode manifest = kserve(predictor);
    InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> Manifests.toResource(manifest));
    assertTrue(e.errors().stream().anyMatch(f -> f.path().equals(path) && f.reason().contains(reason == null ? "" : reason)),
        "expected " + path + ": …" + reason + "…, got " + e.errors());
  }

  @Test
  void transformersAndExplainersAreRefused() {
    ObjectNode manifest = kserve("model: {modelFormat: {name: onnx}, storageUri: m}");
    ((ObjectNode) manifest.get("spec")).putObject("transformer");
    InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> Manifests.toResource(manifest));
    assertEquals("spec.transformer", e.errors().getFirst().path());
  }

  @Test
  void annotationsThatAreNotAMappingAreAnErrorAtTheirPath() {
    for (String annotations : List.of("hello", "[a, b]")) {
      ObjectNode manifest = kserve("model: {modelFormat: {name: onnx}, storageUri: m}");
      ((ObjectNode) manifest.get("metadata")).set("annotations", Manifests.parseDocuments("v: " + annotations, "test").getFirst().get("v"));
      InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> KServeInferenceServices.toInferenceService(manifest));
      assertEquals("metadata.annotations", e.errors().getFirst().path(), e.getMessage());
    }
  }

  @Test
  void anEmptyNameIsRequiredNotACrash() {
    ObjectNode manifest = kserve("model: {modelFormat: {name: onnx}, storageUri: m}");
    ((ObjectNode) manifest.get("metadata")).put("name", "");
    InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> KServeInferenceServices.toInferenceService(manifest));
    assertEquals("metadata.name", e.errors().getFirst().path(), e.getMessage());
  }

  @Test
  void anotherApiVersionOfTheKindIsNamed() {
    ObjectNode manifest = kserve("model: {modelFormat: {name: onnx}, storageUri: m}");
    manifest.put("apiVersion", "serving.kserve.io/v1alpha2");
    InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> Manifests.toResource(manifest));
    assertTrue(e.getMessage().contains("must be capstan.dev/v1alpha1 or serving.kserve.io/v1beta1"), e.getMessage());
  }

  @Test
  void theExamplesAreValid() throws IOException {
    Path dir = Path.of("..", "examples", "serving");
    for (String file : List.of("kserve-onnx.yaml", "onnx-mlp.yaml")) {
      ObjectNode doc = Manifests.parseDocuments(Files.readString(dir.resolve(file)), file).getFirst();
      InferenceServiceModel m = model(doc);
      assertEquals("iris-mlp", m.predictor().storageUri().text(), file);
      assertEquals(0, m.scaling().minReplicas(), file);
    }
  }

  @Test
  void aConvertedManifestValidatesLikeACapstanOne() {
    ObjectNode capstan = InferenceServiceManifests.base();
    ObjectNode converted = KServeInferenceServices.convert(kserve("model: {modelFormat: {name: onnx}, storageUri: models/mlp}"))
        .inferenceService();
    assertEquals(capstan.path("spec"), converted.path("spec"));
  }
}
