package dev.capstan.kubernetes.cluster;

import dev.capstan.api.training.TrainingJob;
import dev.capstan.core.queue.AdmissionDecision;
import dev.capstan.core.queue.ResourceAmounts;
import dev.capstan.core.training.TrainingAdmission;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Gang admission in a cluster: core's admission cycle over every TrainingJob, against what the
 * nodes can hold. A gang larger than the whole cluster waits (Queued) rather than failing, since a
 * cluster grows: nodes are added by hand or by an autoscaler.
 */
public final class ClusterAdmission {
  private ClusterAdmission() {}

  public static AdmissionDecision decide(TrainingJob job, List<TrainingJob> all, ResourceAmounts capacity) {
    List<TrainingJob> jobs = new ArrayList<>();
    for (TrainingJob other : all) {
      if (!sameJob(other, job)) {
        jobs.add(other);
      }
    }
    jobs.add(job);
    AdmissionDecision decision = TrainingAdmission.decide(jobs, capacity)
        .getOrDefault(TrainingAdmission.key(job), AdmissionDecision.admitted());
    if (decision instanceof AdmissionDecision.Rejected r) {
      return new AdmissionDecision.Waiting("the whole gang needs more than the cluster's schedulable nodes hold: "
          + r.reason().substring(r.reason().indexOf(':') + 1).trim());
    }
    return decision;
  }

  private static boolean sameJob(TrainingJob a, TrainingJob b) {
    return Objects.equals(a.getMetadata().getNamespace(), b.getMetadata().getNamespace())
        && Objects.equals(a.getMetadata().getName(), b.getMetadata().getName());
  }
}
