package dev.capstan.local.serving;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.serving.Batching;
import dev.capstan.api.serving.InferenceService;
import dev.capstan.core.queue.ResourceAmounts;
import dev.capstan.core.serving.ObservedRevisions;
import dev.capstan.core.serving.RevisionAction;
import dev.capstan.core.serving.RevisionFailure;
import dev.capstan.core.serving.RevisionFailureReason;
import dev.capstan.core.serving.RevisionKey;
import dev.capstan.core.serving.RevisionObservation;
import dev.capstan.core.serving.RevisionTemplate;
import dev.capstan.core.serving.ServingBackend;
import dev.capstan.local.OwnerOnly;
import dev.capstan.local.store.DurableFiles;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Revisions as {@code capstan serve} processes on this machine: the local implementation of the
 * core port. A revision's wanted replica count is written durably ({@code revision.json}) before
 * anything starts, so a restarted server reports and keeps it. Its model is fetched once into
 * {@link ModelCopies} and shared by its replicas ({@link ServingReplicas}). A new replica starts
 * only if its resource requests fit in what the host has left after training and other serving
 * replicas ({@code available}); otherwise the revision reports {@code StartFailed}. A replica that
 * exits before it was ever ready reports {@code ModelLoadFailed} (serve exits when it cannot open
 * the model), one that exits after it was ready {@code CrashLoop}, each with the exit and the log's
 * last line. A new replica is a warm standby when one waits ({@link ServingReplicas#startFromStandby}):
 * the standby loads the revision's model copy instead of a new process starting; a model the
 * standby refuses is reported {@code ModelLoadFailed} with serve's reason, and the revision's
 * later replicas start as processes of their own. Each pass tops the standby pool up.
 */
public final class ProcessServingBackend implements ServingBackend {
  private static final String WANTED = "revision.json";

  /** What is kept of a revision: the replicas wanted, where its model comes from, what each replica holds. */
  record Wanted(int replicas, String storageUri, long cpuMillis, long memoryBytes) {
    ResourceAmounts demand() {
      return new ResourceAmounts(cpuMillis, memoryBytes, 0);
    }
  }

  private final Path runtime;
  private final ModelCopies copies;
  private final ServingReplicas replicas;
  private final Supplier<ResourceAmounts> available;
  private final Clock clock;
  /** Revisions whose replicas were ready at some point: an exit after that is a crash, not a failed load. */
  private final Map<RevisionKey, Boolean> everReady = new ConcurrentHashMap<>();
  private final Map<RevisionKey, RevisionFailure> refused = new ConcurrentHashMap<>();

  public ProcessServingBackend(Path runtime, ModelCopies copies, ServingReplicas replicas, Supplier<ResourceAmounts> available,
      Clock clock) {
    this.runtime = runtime;
    this.copies = copies;
    this.replicas = replicas;
    this.available = available;
    this.clock = clock;
  }

  @Override
  public ObservedRevisions observe(InferenceService service) {
    List<RevisionObservation> found = new ArrayList<>();
    for (Path dir : revisionDirs(namespace(service), service.getMetadata().getName())) {
      RevisionKey key = new RevisionKey(namespace(service), service.getMetadata().getName(), dir.getFileName().toString());
      readWanted(dir).ifPresent(wanted -> found.add(observe(key, wanted)));
    }
    return ObservedRevisions.of(found);
  }

  private RevisionObservation observe(RevisionKey key, Wanted wanted) {
    List<ReplicaState> states = replicas.observe(key);
    List<dev.capstan.core.serving.ReplicaEndpoint> ready = states.stream().filter(ReplicaState::ready)
        .map(ReplicaState::endpoint).toList();
    if (!ready.isEmpty()) {
      everReady.put(key, true);
    }
    return new RevisionObservation(key, wanted.replicas(), ready.size(), ready,
        ready.isEmpty() ? failure(key, wanted, states) : Optional.empty());
  }

  private Optional<RevisionFailure> failure(RevisionKey key, Wanted wanted, List<ReplicaState> states) {
    Optional<ModelCopies.Copy> copy = copies.state(key);
    if (copy.isPresent() && copy.get() instanceof ModelCopies.Copy.Failed failed) {
      return Optional.of(new RevisionFailure(RevisionFailureReason.ModelFetchFailed, failed.reason(), clock.instant()));
    }
    Optional<String> exit = states.stream().filter(s -> s.phase() != ReplicaState.Phase.Stopping)
        .flatMap(s -> s.failure().stream()).findFirst();
    if (exit.isPresent()) {
      RevisionFailureReason reason = everReady.containsKey(key) ? RevisionFailureReason.CrashLoop : RevisionFailureReason.ModelLoadFailed;
      return Optional.of(new RevisionFailure(reason, exit.get(), clock.instant()));
    }
    Optional<String> refusal = replicas.loadRefusal(key);
    if (refusal.isPresent()) {
      return Optional.of(new RevisionFailure(RevisionFailureReason.ModelLoadFailed, refusal.get(), clock.instant()));
    }
    return Optional.ofNullable(refused.get(key));
  }

  @Override
  public void apply(InferenceService service, List<RevisionAction> actions) {
    for (RevisionAction action : actions) {
      switch (action) {
        case RevisionAction.Scale scale -> scale(scale.template(), scale.replicas());
        case RevisionAction.Remove remove -> remove(remove.revision());
      }
    }
    replicas.tend(clock.instant());
    replicas.tendStandbys(available.get());
  }

  private void scale(RevisionTemplate template, int count) {
    RevisionKey key = template.key();
    Path dir = revisionDir(key);
    ResourceAmounts demand = demand(template);
    Wanted wanted = new Wanted(count, template.storageUri(), demand.cpuMillis(), demand.memoryBytes());
    if (!readWanted(dir).equals(Optional.of(wanted))) {
      writeWanted(dir, wanted);
    }
    ModelCopies.Copy copy = copies.ensure(key, template.storageUri(), modelYaml(template));
    List<ReplicaState> states = replicas.observe(key);
    List<ReplicaState> active = states.stream().filter(s -> s.phase() != ReplicaState.Phase.Stopping).toList();
    if (active.size() > count) {
      // Stop those that help least first: failed, then starting, then the newest ready ones.
      active.stream().sorted(Comparator.comparingInt((ReplicaState s) -> s.phase() == ReplicaState.Phase.Ready ? 1 : 0)
              .thenComparing(Comparator.comparingInt(ReplicaState::index).reversed()))
          .limit(active.size() - count).forEach(s -> replicas.stop(key, s.index()));
    }
    refused.remove(key);
    if (active.size() < count && copy instanceof ModelCopies.Copy.Ready ready) {
      List<Integer> taken = states.stream().map(ReplicaState::index).toList();
      int index = 0;
      for (int started = active.size(); started < count; started++) {
        while (taken.contains(index)) {
          index++;
        }
        ResourceAmounts left = available.get();
        if (replicas.startFromStandby(key, index, ready.dir(), demand, left)) {
          index++;
          continue;
        }
        if (!demand.fitsIn(left)) {
          refused.put(key, new RevisionFailure(RevisionFailureReason.StartFailed, "not enough room on this machine for another replica: "
              + String.join(", ", demand.shortfalls(left)), clock.instant()));
          return;
        }
        replicas.start(key, index++, ready.dir(), demand);
      }
    }
  }

  private void remove(RevisionKey key) {
    replicas.observe(key).stream().filter(s -> s.phase() != ReplicaState.Phase.Stopping).forEach(s -> replicas.stop(key, s.index()));
    everReady.remove(key);
    refused.remove(key);
    if (!replicas.anyLeft(key)) {
      replicas.forgetRevision(key);
      copies.forget(key);
      ModelCopies.deleteTree(revisionDir(key));
    }
  }

  /**
   * What the revision's spec sets in its model copy's {@code model.yaml}: its batching and request
   * timeout, when the spec asks for batching (otherwise the model directory's own settings hold).
   */
  static Map<String, Object> modelYaml(RevisionTemplate template) {
    Batching b = template.predictor().batching();
    if (b.equals(Batching.NONE)) {
      return Map.of();
    }
    Map<String, Object> batching = new LinkedHashMap<>();
    batching.put("maxBatchSize", b.maxBatchSize());
    batching.put("maxLatency", b.maxLatency().toNanos() / 1e6);
    batching.put("maxQueue", b.maxQueue());
    batching.put("timeout", template.predictor().timeout().toMillis());
    if (b.workers() > 0) {
      batching.put("workers", b.workers());
    }
    return Map.of("batching", batching);
  }

  /** What one replica asks of the host: its resource requests (limits where no request is given). */
  static ResourceAmounts demand(RevisionTemplate template) {
    return ResourceAmounts.of(new PodTemplateSpecBuilder().withNewSpec()
        .withContainers(new ContainerBuilder().withName("kserve-container").withResources(template.predictor().resources()).build())
        .endSpec().build());
  }

  private List<Path> revisionDirs(String namespace, String service) {
    Path dir = runtime.resolve(namespace).resolve(service);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(p -> Files.exists(p.resolve(WANTED))).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private Path revisionDir(RevisionKey key) {
    return runtime.resolve(key.namespace()).resolve(key.service()).resolve(key.revision());
  }

  private static String namespace(InferenceService service) {
    String ns = service.getMetadata().getNamespace();
    return ns == null ? "default" : ns;
  }

  private static Optional<Wanted> readWanted(Path dir) {
    Path file = dir.resolve(WANTED);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Manifests.json().readValue(file.toFile(), Wanted.class));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static void writeWanted(Path dir, Wanted wanted) {
    try {
      OwnerOnly.directories(dir);
      DurableFiles.write(dir.resolve(WANTED), Manifests.json().writeValueAsBytes(wanted));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the revision in " + dir, e);
    }
  }

  /** Used by the control plane to count serving replicas against the host. */
  public ResourceAmounts inUse() {
    return replicas.inUse();
  }
}
