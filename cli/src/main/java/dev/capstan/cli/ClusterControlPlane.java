package dev.capstan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Kinds;
import dev.capstan.api.codec.Manifests;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.kubernetes.client.ClusterTrainingJobs;
import dev.capstan.local.process.LocalLaunch;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/** The resource commands against a cluster's API server, where Capstan's operator runs. */
final class ClusterControlPlane implements ControlPlane {
  private final ClusterTrainingJobs jobs;

  private ClusterControlPlane(ClusterTrainingJobs jobs) {
    this.jobs = jobs;
  }

  static ClusterControlPlane connect(Path kubeconfig, String context) {
    try {
      return new ClusterControlPlane(new ClusterTrainingJobs(ClusterTrainingJobs.connect(kubeconfig, context)));
    } catch (IOException e) {
      throw new CliErrors.UserError("cannot read kubeconfig " + kubeconfig + ": " + e.getMessage());
    } catch (KubernetesClientException | IllegalArgumentException e) {
      throw new CliErrors.UserError("cannot use kubeconfig" + (context == null ? "" : " context " + context) + ": " + e.getMessage());
    }
  }

  @Override
  public ServerClient.Applied apply(Kinds.KindInfo kind, String namespace, String name, ObjectNode doc) {
    doc.with("metadata").with("annotations").remove(LocalLaunch.MANIFEST_DIR);
    TrainingJob job = (TrainingJob) Manifests.toResource(doc);
    ClusterTrainingJobs.Applied applied = call(() -> jobs.apply(job));
    return new ServerClient.Applied(json(applied.job()), applied.created());
  }

  @Override
  public Optional<ObjectNode> get(Kinds.KindInfo kind, String namespace, String name) {
    return call(() -> jobs.get(namespace, name)).map(ClusterControlPlane::json);
  }

  @Override
  public JsonNode list(Kinds.KindInfo kind, String namespace) {
    ObjectNode list = Manifests.json().createObjectNode();
    ArrayNode items = list.putArray("items");
    call(() -> jobs.list(namespace)).forEach(j -> items.add(json(j)));
    return list;
  }

  @Override
  public boolean delete(Kinds.KindInfo kind, String namespace, String name) {
    return call(() -> jobs.delete(namespace, name));
  }

  @Override
  public JsonNode events(Kinds.KindInfo kind, String namespace, String name) {
    ArrayNode out = Manifests.json().createArrayNode();
    for (Event e : call(() -> jobs.events(namespace, name))) {
      out.addObject().put("time", ClusterTrainingJobs.time(e)).put("type", e.getType()).put("reason", e.getReason())
          .put("message", e.getMessage());
    }
    return out;
  }

  @Override
  public InputStream logs(Kinds.KindInfo kind, String namespace, String name, LogRequest request) {
    return call(() -> jobs.logs(namespace, name, request.replica(), request.all(), request.follow()));
  }

  private static ObjectNode json(TrainingJob job) {
    return Manifests.json().valueToTree(job);
  }

  private static <T> T call(Supplier<T> request) {
    try {
      return request.get();
    } catch (KubernetesClientException e) {
      String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
      throw new CliErrors.UserError("the cluster refused the request: " + message);
    } catch (IllegalArgumentException e) {
      throw new CliErrors.UserError(e.getMessage());
    }
  }
}
