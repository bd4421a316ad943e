package dev.capstan.core.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.api.registry.Lineage;
import dev.capstan.api.training.ReplicaSpec;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobStatus;
import io.fabric8.kubernetes.api.model.Container;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The lineage a version copies from the TrainingJob that produced it: the job's identity (name,
 * uid, generation, a sha256 of its spec), its framework, the command and args of its first replica
 * group's first container, its final metrics and when it ran. Copied, so it outlives the job.
 */
public final class JobLineage {
  private JobLineage() {}

  public static Lineage of(TrainingJob job) {
    var meta = job.getMetadata();
    Lineage.Job ref = new Lineage.Job(meta.getNamespace(), meta.getName(), meta.getUid(), meta.getGeneration(),
        specSha256(job));
    Optional<Container> first = Optional.ofNullable(job.getSpec().getReplicas()).flatMap(r -> r.values().stream().findFirst())
        .map(ReplicaSpec::getTemplate)
        .flatMap(t -> t.getSpec() == null ? Optional.empty() : t.getSpec().getContainers().stream().findFirst());
    TrainingJobStatus status = job.getStatus();
    Map<String, String> metrics = status == null || status.getMetrics() == null ? Map.of() : new LinkedHashMap<>(status.getMetrics());
    return new Lineage(ref, job.getSpec().getFramework(),
        first.map(Container::getCommand).map(List::copyOf).orElse(List.of()),
        first.map(Container::getArgs).map(List::copyOf).orElse(List.of()),
        metrics,
        status == null ? null : status.getStartTime(),
        status == null ? null : status.getCompletionTime());
  }

  /**
   * The sha256 (hex) of the job's spec as canonical JSON: object keys sorted at every level, no
   * whitespace; the same spec gives the same hash however it was written.
   */
  public static String specSha256(TrainingJob job) {
    JsonNode spec = Manifests.json().valueToTree(job.getSpec());
    try {
      byte[] bytes = Manifests.json().writeValueAsBytes(canonical(spec));
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (com.fasterxml.jackson.core.JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash the spec of " + job.getMetadata().getName(), e);
    }
  }

  private static JsonNode canonical(JsonNode node) {
    if (node.isObject()) {
      TreeMap<String, JsonNode> sorted = new TreeMap<>();
      node.fields().forEachRemaining(e -> sorted.put(e.getKey(), canonical(e.getValue())));
      ObjectNode out = Manifests.json().createObjectNode();
      sorted.forEach(out::set);
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = Manifests.json().createArrayNode();
      node.forEach(e -> out.add(canonical(e)));
      return out;
    }
    return node;
  }
}
