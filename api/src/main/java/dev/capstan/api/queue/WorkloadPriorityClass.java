package dev.capstan.api.queue;

import dev.capstan.api.training.TrainingJob;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A named priority for workloads (Kueue's WorkloadPriorityClass): a job's
 * {@code spec.priorityClassName} resolves to {@code spec.value}. Cluster-scoped.
 */
@Group(TrainingJob.GROUP)
@Version(TrainingJob.VERSION)
@Kind(WorkloadPriorityClass.KIND)
@Plural(WorkloadPriorityClass.PLURAL)
@ShortNames("wpc")
public class WorkloadPriorityClass extends CustomResource<WorkloadPriorityClassSpec, Void> {
  public static final String KIND = "WorkloadPriorityClass";
  public static final String PLURAL = "workloadpriorityclasses";
}
