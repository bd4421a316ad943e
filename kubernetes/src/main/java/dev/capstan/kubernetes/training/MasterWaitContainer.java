package dev.capstan.kubernetes.training;

import dev.capstan.api.training.Framework;
import dev.capstan.api.training.ReplicaId;
import dev.capstan.api.training.TrainingJobModel;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code init-pytorch} container the training operator gives a PyTorch worker when the job has
 * a master (v1.9 {@code pytorch/initcontainer.go}, defaults from {@code pkg/config}): it waits until
 * the master's service name resolves, so the worker's {@code init_process_group} does not fail on
 * DNS. It runs as nobody (65534) so that it starts under the restricted Pod Security level, which
 * the operator's template (root in alpine) would not.
 */
public final class MasterWaitContainer {
  public static final String NAME = "init-pytorch";
  public static final String IMAGE = "alpine:3.10";
  public static final int MAX_TRIES = 100;
  static final long NOBODY = 65534L;

  private MasterWaitContainer() {}

  /** The container for this replica, or empty when it needs none (not a PyTorch worker, or no master). */
  public static Optional<Container> forReplica(TrainingJobModel job, ReplicaId id) {
    if (job.framework() != Framework.PYTORCH || !id.role().equals("worker") || job.group("master").isEmpty()) {
      return Optional.empty();
    }
    String master = new ReplicaId("master", 0).name(job.name());
    String script = "err=1;for i in $(seq " + MAX_TRIES + "); do if nslookup " + master
        + "; then err=0 && break; fi;echo waiting for master; sleep 2; done; exit $err";
    return Optional.of(new ContainerBuilder()
        .withName(NAME)
        .withImage(IMAGE)
        .withImagePullPolicy("IfNotPresent")
        .withNewResources()
        .withLimits(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("20Mi")))
        .withRequests(Map.of("cpu", new Quantity("50m"), "memory", new Quantity("10Mi")))
        .endResources()
        .withCommand(List.of("sh", "-c", script))
        .withNewSecurityContext().withRunAsUser(NOBODY).withRunAsGroup(NOBODY).withRunAsNonRoot(true).endSecurityContext()
        .build());
  }
}
