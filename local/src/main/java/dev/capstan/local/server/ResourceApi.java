package dev.capstan.local.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.capstan.api.codec.Kinds;
import dev.capstan.api.codec.Manifests;
import dev.capstan.api.kserve.ConvertedService;
import dev.capstan.api.kserve.KServeInferenceServices;
import dev.capstan.api.kubeflow.ConvertedJob;
import dev.capstan.api.kubeflow.KubeflowJobs;
import dev.capstan.api.kubeflow.KubeflowKind;
import dev.capstan.api.serving.InferenceService;
import dev.capstan.api.serving.InferenceServiceModel;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.api.validation.InvalidSpecException;
import dev.capstan.core.queue.Capacity;
import dev.capstan.core.queue.ResourceAmounts;
import dev.capstan.core.queue.ResourceList;
import dev.capstan.core.training.TrainingAdmission;
import dev.capstan.local.queue.QueueKinds;
import dev.capstan.local.store.FileResourceStore;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The resource API, Kubernetes-shaped:
 * {@code /apis/capstan.dev/v1alpha1/[namespaces/{ns}/]{plural}[/{name}[/log|/events]]}.
 * PUT on a name applies (creates or updates the spec), DELETE marks for deletion. A PUT of a
 * {@code kubeflow.org/v1} job (PyTorchJob, TFJob, …) on a {@code trainingjobs} name stores the
 * TrainingJob it runs as. Models and ModelVersions are read here like any kind; their writes go
 * to the registry ({@link RegistryApi}).
 */
final class ResourceApi implements HttpHandler {
  static final String PREFIX = "/apis/" + TrainingJob.API_VERSION;

  private final FileResourceStore store;
  private final LocalControlPlane plane;
  private final LogStreams logs;
  private final RegistryApi registry;

  ResourceApi(FileResourceStore store, LocalControlPlane plane, LogStreams logs, RegistryApi registry) {
    this.store = store;
    this.plane = plane;
    this.logs = logs;
    this.registry = registry;
  }

  /** A parsed request path. */
  private record Target(String namespace, Kinds.KindInfo kind, String name, String sub) {}

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try {
      route(ex);
    } catch (HttpExchanges.ClientError e) {
      HttpExchanges.error(ex, e.status, e.getMessage(), e.fields);
    } catch (InvalidSpecException e) {
      HttpExchanges.error(ex, 422, e.getMessage(), e.errors());
    } catch (RuntimeException e) {
      e.printStackTrace();
      HttpExchanges.error(ex, 500, "internal error: " + e.getMessage(), List.of());
    } finally {
      ex.close();
    }
  }

  private void route(HttpExchange ex) throws IOException {
    Target t = parse(ex.getRequestURI().getPath());
    String method = ex.getRequestMethod();
    if (t.name() == null) {
      require(method, "GET");
      HttpExchanges.json(ex, 200, Map.of("kind", t.kind().kind() + "List", "apiVersion", TrainingJob.API_VERSION,
          "items", store.list(t.kind().plural(), t.namespace()), "quarantined", store.quarantined(t.kind().plural())));
      return;
    }
    boolean registryKind = t.kind() == Kinds.MODEL || t.kind() == Kinds.MODEL_VERSION;
    if (registryKind && !(method.equals("GET") && (t.sub() == null || t.sub().equals("events")))) {
      registry.handle(ex, t.kind().plural(), t.namespace(), t.name(), t.sub());
      return;
    }
    if (t.sub() != null) {
      require(method, "GET");
      switch (t.sub()) {
        case "log" -> logs.stream(ex, existing(t), HttpExchanges.query(ex));
        case "events" -> HttpExchanges.json(ex, 200, plane.events().list(t.kind().kind() + " " + t.namespace() + "/" + t.name()));
        case "replicas" -> {
          if (t.kind() != Kinds.TRAINING_JOB) {
            throw new HttpExchanges.ClientError(404, "no such subresource: " + t.sub());
          }
          HttpExchanges.json(ex, 200, ReplicaList.of(plane.replicas(existing(t))));
        }
        default -> throw new HttpExchanges.ClientError(404, "no such subresource: " + t.sub());
      }
      return;
    }
    switch (method) {
      case "GET" -> HttpExchanges.json(ex, 200, existing(t));
      case "PUT" -> apply(ex, t);
      case "DELETE" -> {
        existing(t);
        ObjectNode marked = store.markDeleted(t.kind().plural(), t.namespace(), t.name()).orElseThrow();
        plane.wake();
        HttpExchanges.json(ex, 202, marked);
      }
      default -> throw new HttpExchanges.ClientError(405, "method " + method + " not allowed");
    }
  }

  private void apply(HttpExchange ex, Target t) throws IOException {
    JsonNode body;
    try {
      body = Manifests.json().readTree(HttpExchanges.body(ex));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new HttpExchanges.ClientError(400, "body is not valid JSON: " + e.getOriginalMessage());
    }
    if (body == null || !body.isObject()) {
      throw new HttpExchanges.ClientError(400, "body must be a JSON object");
    }
    ObjectNode doc = (ObjectNode) body;
    if (doc.has("metadata") && !doc.get("metadata").isObject()) {
      throw new InvalidSpecException("metadata", "must be a mapping");
    }
    ObjectNode meta = doc.with("metadata");
    if (meta.hasNonNull("name") && !t.name().equals(meta.get("name").asText())) {
      throw new HttpExchanges.ClientError(400, "metadata.name '" + meta.get("name").asText() + "' does not match the path");
    }
    meta.put("name", t.name());
    meta.put("namespace", t.namespace());
    if (t.kind() == Kinds.INFERENCE_SERVICE) {
      applyInferenceService(ex, t, kserveAsCapstan(doc, t));
      return;
    }
    // A Kubeflow job (kubeflow.org/v1 PyTorchJob, TFJob, …) is stored and run as its TrainingJob;
    // whatever the checks refuse is reported at the field as the Kubeflow manifest spells it.
    Optional<ConvertedJob> kubeflow = KubeflowKind.byKind(doc.path("kind").asText()).isPresent()
        ? Optional.of(KubeflowJobs.convert(doc)) : Optional.empty();
    ObjectNode stored = kubeflow.map(ConvertedJob::trainingJob).orElse(doc);
    Supplier<TrainingJobModel> check = () -> {
      TrainingJobModel model = TrainingJobModel.from((TrainingJob) Manifests.toResource(stored));
      LocalChecks.check(model);
      fitsThisMachine(model);
      return model;
    };
    if (QueueKinds.handles(t.kind())) {
      QueueKinds.check(t.kind(), stored);
    } else {
      kubeflow.map(c -> c.explained(check)).orElseGet(check);
    }
    Optional<ObjectNode> before = store.get(t.kind().plural(), t.namespace(), t.name());
    if (before.isPresent()) {
      immutable(before.get(), stored);
    }
    ObjectNode saved = store.apply(t.kind().plural(), stored);
    plane.wake();
    HttpExchanges.json(ex, before.isPresent() ? 200 : 201, saved);
  }

  /**
   * Stores an InferenceService once it validates and one replica of it fits this machine; the
   * serving loop makes a new revision of each predictor change.
   */
  private void applyInferenceService(HttpExchange ex, Target t, ObjectNode doc) throws IOException {
    if (plane.serving().isEmpty()) {
      throw new HttpExchanges.ClientError(501, "this server runs no InferenceServices (it was started without serving)");
    }
    InferenceServiceModel model = InferenceServiceModel.from((InferenceService) Manifests.toResource(doc));
    ResourceAmounts replica = ResourceAmounts.of(new io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder().withNewSpec()
        .addNewContainer().withName("predictor").withResources(model.predictor().resources()).endContainer().endSpec().build());
    if (!replica.fitsIn(plane.capacity())) {
      throw new InvalidSpecException("spec.predictor.resources", "one replica needs more than this machine has: "
          + String.join(", ", replica.shortfalls(plane.capacity())));
    }
    Optional<ObjectNode> before = store.get(t.kind().plural(), t.namespace(), t.name());
    if (before.isPresent() && before.get().path("metadata").has("deletionTimestamp")) {
      throw new HttpExchanges.ClientError(409, "the InferenceService is being deleted; wait for it to go before applying it again");
    }
    ObjectNode saved = store.apply(t.kind().plural(), doc);
    plane.wake();
    HttpExchanges.json(ex, before.isPresent() ? 200 : 201, saved);
  }

  /**
   * A KServe {@code serving.kserve.io/v1beta1} InferenceService is stored and run as Capstan's;
   * what Capstan refuses is reported at the KServe manifest's own field paths.
   */
  private static ObjectNode kserveAsCapstan(ObjectNode doc, Target t) {
    if (!KServeInferenceServices.isKServe(doc.path("apiVersion").asText(null), doc.path("kind").asText(null))) {
      return doc;
    }
    ConvertedService converted = KServeInferenceServices.convert(doc);
    converted.explained(() -> InferenceServiceModel.from((InferenceService) Manifests.toResource(converted.inferenceService())));
    ObjectNode meta = converted.inferenceService().with("metadata");
    meta.put("name", t.name());
    meta.put("namespace", t.namespace());
    return converted.inferenceService();
  }

  private void fitsThisMachine(TrainingJobModel model) {
    TrainingAdmission.neverFits(model, Capacity.host(ResourceList.from(plane.capacity()))).ifPresent(r -> {
      throw new InvalidSpecException("spec.replicas", r.reason());
    });
  }

  private static void immutable(ObjectNode before, ObjectNode after) {
    if (before.path("metadata").has("deletionTimestamp")) {
      throw new HttpExchanges.ClientError(409, "the job is being deleted; wait for it to go before applying it again");
    }
    JsonNode was = before.path("spec").path("framework");
    JsonNode now = after.path("spec").path("framework");
    if (!was.equals(now)) {
      throw new InvalidSpecException("spec.framework", "is immutable (was '" + was.asText() + "')");
    }
  }

  private ObjectNode existing(Target t) {
    return store.get(t.kind().plural(), t.namespace(), t.name())
        .orElseThrow(() -> new HttpExchanges.ClientError(404, t.kind().singular() + " " + t.namespace() + "/" + t.name() + " not found"));
  }

  private static void require(String method, String expected) {
    if (!method.equals(expected)) {
      throw new HttpExchanges.ClientError(405, "method " + method + " not allowed");
    }
  }

  private static Target parse(String path) {
    if (!path.startsWith(PREFIX + "/")) {
      throw new HttpExchanges.ClientError(404, "no such path: " + path);
    }
    String[] parts = path.substring(PREFIX.length() + 1).split("/");
    int i = 0;
    String namespace = null;
    if (parts[0].equals("namespaces")) {
      if (parts.length < 3) {
        throw new HttpExchanges.ClientError(404, "no such path: " + path);
      }
      namespace = parts[1];
      i = 2;
    }
    String plural = parts[i];
    Kinds.KindInfo kind = Kinds.all().stream().filter(k -> k.plural().equals(plural)).findFirst()
        .orElseThrow(() -> new HttpExchanges.ClientError(404, "unknown resource type: " + plural));
    String name = parts.length > i + 1 ? parts[i + 1] : null;
    String sub = parts.length > i + 2 ? String.join("/", java.util.Arrays.copyOfRange(parts, i + 2, parts.length)) : null;
    if (name != null && namespace == null) {
      throw new HttpExchanges.ClientError(404, "a named resource needs a namespace in the path");
    }
    return new Target(namespace, kind, name, sub);
  }
}
