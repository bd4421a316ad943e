package dev.capstan.core.training;

import dev.capstan.api.training.ReplicaGroup;
import dev.capstan.api.training.ReplicaId;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.core.queue.AdmittedWorkload;
import dev.capstan.core.queue.PodSet;
import dev.capstan.core.queue.QueueableWorkload;
import dev.capstan.core.queue.ResourceList;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A training job as the scheduler sees it: one pod set per replica group, admitted as one gang. */
public record TrainingWorkload(String key, TrainingJobModel model, Instant createdAt) implements QueueableWorkload {
  public static TrainingWorkload of(TrainingJob job, TrainingJobModel model) {
    return new TrainingWorkload(TrainingAdmission.key(job), model, created(job));
  }

  @Override
  public String namespace() {
    return model.namespace();
  }

  @Override
  public Optional<String> queueName() {
    return model.queueing().queue();
  }

  @Override
  public Optional<Integer> priority() {
    return model.queueing().priority();
  }

  @Override
  public Optional<String> priorityClassName() {
    return model.queueing().priorityClassName();
  }

  @Override
  public List<PodSet> podSets() {
    return model.groups().stream().map(TrainingWorkload::podSet).toList();
  }

  /**
   * The node of each pod, in pod-set order, from a placement by replica ({@code worker-0} to node),
   * when it names one for every replica; otherwise none (see {@link AdmittedWorkload#nodes}).
   */
  public List<String> nodes(Map<String, String> placement) {
    List<String> nodes = new ArrayList<>();
    for (ReplicaGroup g : model.groups()) {
      for (int i = 0; i < g.count(); i++) {
        String node = placement.get(new ReplicaId(g.role(), i).shortName());
        if (node == null) {
          return List.of();
        }
        nodes.add(node);
      }
    }
    return nodes;
  }

  private static PodSet podSet(ReplicaGroup g) {
    return new PodSet(g.role(), g.count(), ResourceList.ofPod(g.template()));
  }

  /** A job without a creation time (or an unreadable one) counts as the oldest. */
  private static Instant created(TrainingJob job) {
    String ts = job.getMetadata().getCreationTimestamp();
    try {
      return ts == null ? Instant.EPOCH : Instant.parse(ts);
    } catch (DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }
}
