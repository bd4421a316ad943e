package dev.capstan.kubernetes.placement;

import dev.capstan.api.queue.ResourceUnits;
import dev.capstan.api.training.ReplicaId;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.core.placement.CapstanPlacement;
import dev.capstan.core.placement.GangPlacer;
import dev.capstan.core.placement.NodeState;
import dev.capstan.core.placement.Placement;
import dev.capstan.core.placement.PodRequest;
import dev.capstan.core.placement.TargetWorkload;
import dev.capstan.core.queue.AdmissionDecision;
import dev.capstan.core.queue.ResourceList;
import dev.capstan.core.queue.SchedulingResult;
import dev.capstan.core.training.AdmissionRecord;
import dev.capstan.core.training.TrainingAdmission;
import dev.capstan.kubernetes.queue.InformedCapacity;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Capstan's GPU placement in a cluster, decided by the leader's scheduling cycle after it admits:
 * a job that asks for {@code nvidia.com/gpu} and is admitted in this cycle gets a node for each
 * replica from core's {@link GangPlacer} with {@link CapstanPlacement}, over the nodes as
 * {@link NodeStates} reads them (less what pinned replicas not bound yet will take); the cycle
 * records it with the admission and the replicas' pods require those nodes. Jobs admitted in one
 * cycle are placed one after the other, by key, each on the nodes as the ones before it left them.
 * A gang that fits on no set of nodes is not pinned (kube-scheduler places it, as without this).
 *
 * <p>Fragmentation is measured against the GPU requests of the jobs the cycle decided on (waiting
 * and admitted, one task per replica): the workload the cluster expects.
 *
 * <p>Recovery ({@link StalePins}): a pin whose replica is not bound yet is dropped when its node is
 * gone or no longer usable, or when its pod has been reported unschedulable there for the grace; the
 * replica's pod is then made again without it and kube-scheduler places it. Recovery runs with
 * placement turned off too, so pins recorded before cannot hold a job for ever. A re-admission
 * (after a preemption) places afresh.
 */
public final class GpuPlacement {
  private static final Logger LOG = LoggerFactory.getLogger(GpuPlacement.class);

  private final PlacementSettings settings;
  private final StalePins stalePins;

  public GpuPlacement(PlacementSettings settings) {
    this.settings = settings;
    this.stalePins = new StalePins(settings.unschedulableGrace());
  }

  /**
   * The placement to record with each job's decision this cycle, by the job's admission key; a job
   * not in the map keeps what it records. An empty placement records none. With placement off, only
   * pins recorded before are checked.
   */
  public Map<String, Map<String, String>> decide(List<TrainingJob> jobs, SchedulingResult result, List<Node> nodes,
      List<Pod> pods, Instant now) {
    List<TrainingJob> pinned = new ArrayList<>();
    List<TrainingJob> newlyAdmitted = new ArrayList<>();
    for (TrainingJob job : jobs) {
      AdmissionDecision decision = result.decision(TrainingAdmission.key(job));
      if (decision instanceof AdmissionDecision.Admitted) {
        if (!AdmissionRecord.holds(job.getStatus())) {
          newlyAdmitted.add(job);
        } else if (!AdmissionRecord.placement(job.getStatus()).isEmpty()) {
          pinned.add(job);
        }
      }
    }
    if (pinned.isEmpty() && newlyAdmitted.isEmpty()) {
      return Map.of(); // the usual cycle: nothing to place or to check
    }
    Map<String, Pod> podsByName = new HashMap<>();
    pods.forEach(p -> podsByName.put(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName(), p));
    Map<String, Map<String, String>> out = new HashMap<>();
    if (!pinned.isEmpty()) {
      Set<String> pinnable = new HashSet<>();
      nodes.stream().filter(NodeStates::pinnable).forEach(n -> pinnable.add(n.getMetadata().getName()));
      for (TrainingJob job : pinned) {
        Map<String, String> recorded = AdmissionRecord.placement(job.getStatus());
        Map<String, String> kept = stalePins.kept(TrainingAdmission.key(job), recorded, pinnable, replica -> podOf(job, replica, podsByName), now);
        if (!kept.equals(recorded)) {
          out.put(TrainingAdmission.key(job), kept);
        }
      }
    }
    if (settings.enabled() && newlyAdmitted.stream().anyMatch(j -> model(j).map(GpuPlacement::asksForGpus).orElse(false))) {
      out.putAll(placeAdmitted(jobs, result, nodes, pods, podsByName));
    }
    return out;
  }

  /** Places, one after the other by key, the jobs this cycle admits that ask for GPUs. */
  private static Map<String, Map<String, String>> placeAdmitted(List<TrainingJob> jobs, SchedulingResult result, List<Node> nodes,
      List<Pod> pods, Map<String, Pod> podsByName) {
    List<Decided> decided = new ArrayList<>();
    for (TrainingJob job : jobs) {
      AdmissionDecision decision = result.decision(TrainingAdmission.key(job));
      model(job).filter(m -> decision != null).ifPresent(m -> decided.add(new Decided(job, m, decision)));
    }
    decided.sort(Comparator.comparing(d -> TrainingAdmission.key(d.job())));
    Map<String, NodeState> states = new LinkedHashMap<>();
    NodeStates.of(nodes, pods, pinnedUnbound(decided, podsByName)).forEach(s -> states.put(s.node().name(), s));
    Map<String, Node> nodesByName = new HashMap<>();
    nodes.forEach(n -> nodesByName.put(n.getMetadata().getName(), n));
    GangPlacer placer = new GangPlacer(new CapstanPlacement(target(decided)));
    Map<String, Map<String, String>> out = new HashMap<>();
    for (Decided d : decided) {
      if (d.decision() instanceof AdmissionDecision.Admitted && !AdmissionRecord.holds(d.job().getStatus())
          && asksForGpus(d.model())) {
        out.put(TrainingAdmission.key(d.job()), place(placer, d, states, nodesByName));
      }
    }
    return out;
  }

  private record Decided(TrainingJob job, TrainingJobModel model, AdmissionDecision decision) {}

  /** A node for each replica, the states updated with them; none when the gang fits on no set of nodes. */
  private static Map<String, String> place(GangPlacer placer, Decided d, Map<String, NodeState> states,
      Map<String, Node> nodesByName) {
    List<ReplicaId> replicas = d.model().replicas();
    if (replicas.size() > GangPlacer.MAX_GANG) {
      return Map.of();
    }
    List<PodRequest> gang = new ArrayList<>();
    try {
      replicas.forEach(id -> gang.add(NodeStates.request(spec(d.model(), id))));
    } catch (IllegalArgumentException e) {
      LOG.info("{}: not pinned: {}", TrainingAdmission.key(d.job()), e.getMessage());
      return Map.of();
    }
    List<NodeState> candidates = states.values().stream()
        .filter(s -> d.model().groups().stream().allMatch(g -> NodeStates.accepts(nodesByName.get(s.node().name()),
            g.template().getSpec())))
        .toList();
    Optional<List<Placement>> placed = candidates.isEmpty() ? Optional.empty()
        : placer.place(candidates, gang, new SplittableRandom(0));
    if (placed.isEmpty()) {
      LOG.info("{}: its gang fits on no set of nodes as the caches show them; not pinned, kube-scheduler places it",
          TrainingAdmission.key(d.job()));
      return Map.of();
    }
    Map<String, String> pins = new TreeMap<>();
    for (int i = 0; i < replicas.size(); i++) {
      Placement p = placed.get().get(i);
      String node = candidates.get(p.node()).node().name();
      pins.put(replicas.get(i).shortName(), node);
      states.put(node, states.get(node).place(gang.get(i), p.gpus()));
    }
    LOG.debug("{}: placed on {}", TrainingAdmission.key(d.job()), pins);
    return pins;
  }

  /** What pinned replicas of admitted jobs not bound yet (their pod not made, or waiting) will take on their nodes. */
  private static List<NodeStates.Pinned> pinnedUnbound(List<Decided> decided, Map<String, Pod> podsByName) {
    List<NodeStates.Pinned> pinned = new ArrayList<>();
    for (Decided d : decided) {
      for (var pin : AdmissionRecord.placement(d.job().getStatus()).entrySet()) {
        Pod pod = podOf(d.job(), pin.getKey(), podsByName);
        if (pod != null && (NodeStates.bound(pod) || !InformedCapacity.holds(pod))) {
          continue;
        }
        d.model().replicas().stream().filter(id -> id.shortName().equals(pin.getKey())).findFirst().ifPresent(id -> {
          try {
            pinned.add(new NodeStates.Pinned(pin.getValue(), NodeStates.request(spec(d.model(), id))));
          } catch (IllegalArgumentException e) {
            // not placeable, so never pinned
          }
        });
      }
    }
    return pinned;
  }

  /** One task per replica that asks for GPUs, over every job the cycle decided on. */
  private static TargetWorkload target(List<Decided> decided) {
    List<PodRequest> tasks = new ArrayList<>();
    for (Decided d : decided) {
      for (ReplicaId id : d.model().replicas()) {
        try {
          PodRequest r = NodeStates.request(spec(d.model(), id));
          if (r.wantsGpu()) {
            tasks.add(r);
          }
        } catch (IllegalArgumentException e) {
          // a replica no node can hold is no size the cluster expects
        }
      }
    }
    return TargetWorkload.of(tasks);
  }

  static boolean asksForGpus(TrainingJobModel model) {
    return model.groups().stream().anyMatch(g -> ResourceList.ofPod(g.template()).get(ResourceUnits.GPU) > 0);
  }

  private static PodSpec spec(TrainingJobModel model, ReplicaId id) {
    return model.groupOf(id).template().getSpec();
  }

  private static Optional<TrainingJobModel> model(TrainingJob job) {
    try {
      return Optional.of(TrainingJobModel.from(job));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The pod of the job's replica {@code shortName} (its name is {@code <job>-<shortName>}, as ReplicaId names it); null when none. */
  private static Pod podOf(TrainingJob job, String shortName, Map<String, Pod> podsByName) {
    return podsByName.get(namespace(job) + "/" + job.getMetadata().getName() + "-" + shortName);
  }

  private static String namespace(TrainingJob job) {
    return job.getMetadata().getNamespace() == null ? "default" : job.getMetadata().getNamespace();
  }
}
