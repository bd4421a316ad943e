package dev.capstan.core.training;

import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.core.queue.AdmissionDecision;
import dev.capstan.core.queue.CapacityAdmission;
import dev.capstan.core.queue.ResourceAmounts;
import dev.capstan.core.queue.TrainingJobDemand;
import dev.capstan.core.queue.Workload;
import dev.capstan.core.status.Conditions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One admission cycle over every TrainingJob: jobs whose status says Admitted hold their demand;
 * the others, oldest first, are admitted while their whole gang fits in what is left.
 */
public final class TrainingAdmission {
  private TrainingAdmission() {}

  public static Map<String, AdmissionDecision> decide(List<TrainingJob> jobs, ResourceAmounts capacity) {
    List<Workload> admitted = new ArrayList<>();
    List<Workload> pending = new ArrayList<>();
    Map<String, AdmissionDecision> decisions = new HashMap<>();
    List<TrainingJob> ordered = jobs.stream().sorted(Comparator.comparing(TrainingAdmission::created)).toList();
    for (TrainingJob job : ordered) {
      TrainingJobModel model;
      Workload w;
      try {
        model = TrainingJobModel.from(job);
        w = new Workload(key(job), TrainingJobDemand.of(model));
      } catch (RuntimeException e) {
        continue; // an invalid (or unreadable) job is failed, or isolated, by its own reconcile
      }
      TrainingJobState state = job.getStatus() == null ? TrainingJobState.Created : TrainingJobState.parse(job.getStatus().getState());
      // A newer spec re-runs a finished job (as the planner decides), but not one being deleted.
      boolean deleting = job.getMetadata().getDeletionTimestamp() != null;
      boolean finished = state.isTerminal() && (deleting || !StatusDraft.rerunRequested(job.getStatus(), model.generation()));
      if (finished || model.runPolicy().suspend()) {
        continue;
      }
      if (job.getStatus() != null && Conditions.isTrue(job.getStatus().getConditions(), StatusDraft.ADMITTED)) {
        admitted.add(w);
        decisions.put(w.key(), AdmissionDecision.admitted());
      } else {
        pending.add(w);
      }
    }
    decisions.putAll(CapacityAdmission.decide(capacity, admitted, pending));
    return decisions;
  }

  public static String key(TrainingJob job) {
    return TrainingJob.KIND + " " + job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
  }

  private static String created(TrainingJob job) {
    String ts = job.getMetadata().getCreationTimestamp();
    return (ts == null ? "" : ts) + "/" + job.getMetadata().getName();
  }
}
