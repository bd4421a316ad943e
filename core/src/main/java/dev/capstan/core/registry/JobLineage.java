package dev.capstan.core.registry;

import dev.capstan.api.registry.Lineage;
import dev.capstan.api.training.ReplicaSpec;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobStatus;
import io.fabric8.kubernetes.api.model.Container;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lineage a version copies from the TrainingJob that produced it: the job's identity (name,
 * uid, generation), its framework, the command and args of its first replica group's first
 * container, its final metrics and when it ran. Copied, so it outlives the job.
 */
public final class JobLineage {
  private JobLineage() {}

  public static Lineage of(TrainingJob job) {
    var meta = job.getMetadata();
    Lineage.Job ref = new Lineage.Job(meta.getNamespace(), meta.getName(), meta.getUid(), meta.getGeneration());
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
}
