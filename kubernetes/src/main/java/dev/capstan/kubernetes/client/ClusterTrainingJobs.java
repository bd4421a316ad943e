package dev.capstan.kubernetes.client;

import dev.capstan.api.training.TrainingJob;
import dev.capstan.core.training.ReplicaLabels;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * TrainingJobs on a cluster as the command line sees them: apply, get, list, delete, events and
 * replica logs, over a client built from a kubeconfig. Failures surface as the client's
 * KubernetesClientException, or IllegalArgumentException for a job without pods.
 */
public final class ClusterTrainingJobs {
  private final KubernetesClient client;

  public ClusterTrainingJobs(KubernetesClient client) {
    this.client = client;
  }

  /** A client for a kubeconfig file (null: the usual lookup, KUBECONFIG or ~/.kube/config) and context. */
  public static KubernetesClient connect(Path kubeconfig, String context) throws IOException {
    Config config = kubeconfig == null
        ? Config.autoConfigure(context)
        : Config.fromKubeconfig(context, Files.readString(kubeconfig), kubeconfig.toString());
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** The stored job, and whether it was created (false: an existing one was updated). */
  public record Applied(TrainingJob job, boolean created) {}

  public Applied apply(TrainingJob job) {
    String ns = job.getMetadata().getNamespace();
    TrainingJob existing = client.resources(TrainingJob.class).inNamespace(ns).withName(job.getMetadata().getName()).get();
    if (existing == null) {
      return new Applied(client.resources(TrainingJob.class).inNamespace(ns).resource(job).create(), true);
    }
    job.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
    return new Applied(client.resources(TrainingJob.class).inNamespace(ns).resource(job).update(), false);
  }

  public Optional<TrainingJob> get(String namespace, String name) {
    return Optional.ofNullable(client.resources(TrainingJob.class).inNamespace(namespace).withName(name).get());
  }

  /** Jobs in a namespace, or in every namespace when it is null. */
  public List<TrainingJob> list(String namespace) {
    return namespace == null
        ? client.resources(TrainingJob.class).inAnyNamespace().list().getItems()
        : client.resources(TrainingJob.class).inNamespace(namespace).list().getItems();
  }

  /** False when there was nothing to delete; the operator's pods go with it (ownerReferences). */
  public boolean delete(String namespace, String name) {
    return !client.resources(TrainingJob.class).inNamespace(namespace).withName(name).delete().isEmpty();
  }

  /** The job's events, oldest first. */
  public List<Event> events(String namespace, String name) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> e.getInvolvedObject() != null && TrainingJob.KIND.equals(e.getInvolvedObject().getKind())
            && name.equals(e.getInvolvedObject().getName()))
        .sorted(Comparator.comparing(ClusterTrainingJobs::time))
        .toList();
  }

  public static String time(Event e) {
    return Objects.requireNonNullElse(e.getLastTimestamp(), Objects.requireNonNullElse(e.getFirstTimestamp(), ""));
  }

  /**
   * A replica's log: {@code replica} as ROLE-INDEX, or rank 0 when null; with {@code all}, every
   * replica's lines prefixed with {@code [role-index]}; {@code follow} streams until the pod ends.
   */
  public InputStream logs(String namespace, String name, String replica, boolean all, boolean follow) {
    List<Pod> pods = client.pods().inNamespace(namespace).withLabel(ReplicaLabels.JOB_NAME, name).list().getItems().stream()
        .sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList();
    if (pods.isEmpty()) {
      throw new IllegalArgumentException("trainingjob " + name + " has no pods in namespace " + namespace);
    }
    if (all) {
      StringBuilder out = new StringBuilder();
      for (Pod p : pods) {
        String prefix = "[" + p.getMetadata().getName().substring(name.length() + 1) + "] ";
        String log = client.pods().inNamespace(namespace).withName(p.getMetadata().getName()).getLog();
        (log == null ? "" : log).lines().forEach(l -> out.append(prefix).append(l).append('\n'));
      }
      return new ByteArrayInputStream(out.toString().getBytes(StandardCharsets.UTF_8));
    }
    String pod = replica != null ? name + "-" + replica : pods.stream()
        .filter(p -> "master".equals(p.getMetadata().getLabels().get(ReplicaLabels.JOB_ROLE)))
        .findFirst().orElse(pods.get(0)).getMetadata().getName();
    var resource = client.pods().inNamespace(namespace).withName(pod);
    if (follow) {
      return resource.watchLog().getOutput();
    }
    String log = resource.getLog();
    return new ByteArrayInputStream((log == null ? "" : log).getBytes(StandardCharsets.UTF_8));
  }
}
