package dev.capstan.kubernetes.cluster;

import dev.capstan.api.training.ReplicaGroup;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.api.validation.InvalidSpecException;
import dev.capstan.core.status.Conditions;
import dev.capstan.core.queue.AdmissionDecision;
import dev.capstan.core.queue.ResourceAmounts;
import dev.capstan.core.training.TrainingAdmission;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Gang admission in a cluster: core's admission cycle over every TrainingJob, against what the
 * nodes can hold. A gang larger than the whole cluster waits (Queued) rather than failing, since a
 * cluster grows: nodes are added by hand or by an autoscaler.
 */
public final class ClusterAdmission {
  private ClusterAdmission() {}

  public static AdmissionDecision decide(TrainingJob job, List<TrainingJob> all, ClusterCapacity.Snapshot capacity) {
    boolean admitted = job.getStatus() != null && Conditions.isTrue(job.getStatus().getConditions(), "Admitted");
    Optional<String> unschedulable = admitted ? Optional.empty() : podLargerThanEveryNode(job, capacity.nodes());
    if (unschedulable.isPresent()) {
      return new AdmissionDecision.Waiting(unschedulable.get());
    }
    return decide(job, all, capacity.free());
  }

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

  /** A gang whose pod no single node can hold would sit Pending forever once started. */
  private static Optional<String> podLargerThanEveryNode(TrainingJob job, List<ResourceAmounts> nodes) {
    TrainingJobModel model;
    try {
      model = TrainingJobModel.from(job);
    } catch (InvalidSpecException e) {
      return Optional.empty();
    }
    for (ReplicaGroup group : model.groups()) {
      ResourceAmounts pod = ResourceAmounts.of(group.template());
      if (nodes.stream().noneMatch(pod::fitsIn)) {
        ResourceAmounts largest = nodes.stream().reduce((a, b) -> a.cpuMillis() >= b.cpuMillis() ? a : b).orElse(ResourceAmounts.ZERO);
        return Optional.of("a " + group.role() + " pod needs more than any schedulable node allocates: "
            + String.join(", ", pod.shortfalls(largest)));
      }
    }
    return Optional.empty();
  }

  private static boolean sameJob(TrainingJob a, TrainingJob b) {
    return Objects.equals(a.getMetadata().getNamespace(), b.getMetadata().getNamespace())
        && Objects.equals(a.getMetadata().getName(), b.getMetadata().getName());
  }
}
