package dev.capstan.api.training;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * An immutable, validated TrainingJob. Built once at the edge from the wire object; everything
 * past this point may assume the fields are present and consistent.
 */
public record TrainingJobModel(
    String namespace,
    String name,
    long generation,
    Framework framework,
    List<ReplicaGroup> groups,
    Optional<String> nprocPerNode,
    RunPolicyModel runPolicy,
    SuccessPolicy successPolicy,
    Optional<ElasticModel> elastic,
    Optional<JobOutput> output,
    List<String> inputs,
    QueueRequest queueing) {

  /** Validates the wire object; throws InvalidSpecException listing every field error. */
  public static TrainingJobModel from(TrainingJob job) {
    return new TrainingJobValidator(job).toModel();
  }

  /** {@code spec.nprocPerNode} when not given: torchrun decides (Kubeflow's DefaultNprocPerNode). */
  public static final String DEFAULT_NPROC_PER_NODE = "auto";

  /**
   * Processes per replica as a number: {@code spec.nprocPerNode} when it is one, else 1 (as the
   * training operator counts WORLD_SIZE for {@code auto}, {@code cpu} and {@code gpu}).
   */
  public int procsPerNode() {
    return nprocPerNode.filter(n -> n.chars().allMatch(Character::isDigit)).map(Integer::parseInt).orElse(1);
  }

  public Optional<ReplicaGroup> group(String role) {
    return groups.stream().filter(g -> g.role().equals(role)).findFirst();
  }

  public int totalReplicas() {
    return groups.stream().mapToInt(ReplicaGroup::count).sum();
  }

  /** Every replica, in rank order (roles in the framework's order, then index). */
  public List<ReplicaId> replicas() {
    return groups.stream().flatMap(g -> g.replicas().stream()).toList();
  }

  /** The replica whose success decides the job: master or chief, else worker-0, else the first. */
  public ReplicaId rankZero() {
    for (String role : List.of("master", "chief")) {
      if (group(role).isPresent()) {
        return new ReplicaId(role, 0);
      }
    }
    if (group("worker").isPresent()) {
      return new ReplicaId("worker", 0);
    }
    return replicas().get(0);
  }

  public ReplicaGroup groupOf(ReplicaId id) {
    return group(id.role()).orElseThrow(() -> new IllegalArgumentException("no role " + id.role()));
  }

  /** Orders roles by the framework's rank order; unknown (generic) roles keep manifest order. */
  static Comparator<ReplicaGroup> rankOrder(Framework framework) {
    List<String> order = framework == Framework.GENERIC ? List.of("master", "chief", "worker") : framework.roles();
    return Comparator.comparingInt(g -> {
      int i = order.indexOf(g.role());
      return i < 0 ? order.size() : i;
    });
  }
}
