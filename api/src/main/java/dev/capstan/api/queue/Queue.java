package dev.capstan.api.queue;

import dev.capstan.api.training.QueueRequest;
import dev.capstan.api.training.TrainingJob;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A cluster-scoped queue, shaped like Kueue's ClusterQueue: the namespaces it serves, quotas per
 * resource, the cohort it borrows from and lends to, its queueing strategy, preemption rules and
 * fair-sharing weight. Workloads name it with {@code spec.queue} (or the label
 * {@value #QUEUE_LABEL}).
 */
@Group(TrainingJob.GROUP)
@Version(TrainingJob.VERSION)
@Kind(Queue.KIND)
@Plural(Queue.PLURAL)
@ShortNames("q")
public class Queue extends CustomResource<QueueSpec, QueueStatus> {
  public static final String KIND = "Queue";
  public static final String PLURAL = "queues";
  /** Kueue's label naming a workload's queue; {@code spec.queue} wins when both are given and agree. */
  public static final String QUEUE_LABEL = QueueRequest.QUEUE_LABEL;
}
