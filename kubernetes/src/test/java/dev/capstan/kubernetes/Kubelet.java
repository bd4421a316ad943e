package dev.capstan.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * Moves pods through their phases the way a kubelet reports them: binds a pod to a node, then
 * writes {@code status.phase} and {@code containerStatuses[].state} through the status subresource.
 */
public final class Kubelet {
  private final KubernetesClient client;

  public Kubelet(KubernetesClient client) {
    this.client = client;
  }

  public void run(Pod pod) {
    status(pod, "Running", pod.getSpec().getContainers().stream()
        .map(c -> new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage()).withReady(true).withRestartCount(0)
            .withState(new ContainerStateBuilder().withNewRunning().withStartedAt("2025-01-01T00:00:00Z").endRunning().build()).build())
        .toList());
  }

  public void exit(Pod pod, int code) {
    status(pod, code == 0 ? "Succeeded" : "Failed", pod.getSpec().getContainers().stream()
        .map(c -> new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage()).withReady(false).withRestartCount(0)
            .withState(new ContainerStateBuilder().withNewTerminated().withExitCode(code)
                .withReason(code == 0 ? "Completed" : "Error").endTerminated().build()).build())
        .toList());
  }

  public void runAll(List<Pod> pods) {
    pods.forEach(this::run);
  }

  private void status(Pod pod, String phase, List<ContainerStatus> containers) {
    client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).editStatus(p -> {
      PodStatus status = p.getStatus() == null ? new PodStatus() : p.getStatus();
      status.setPhase(phase);
      status.setContainerStatuses(containers);
      p.setStatus(status);
      return p;
    });
  }
}
