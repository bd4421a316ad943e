package dev.capstan.local.registry;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.registry.Lineage;
import dev.capstan.api.registry.ModelUri;
import dev.capstan.api.registry.ModelVersion;
import dev.capstan.api.training.JobOutput;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.api.training.TrainingJobStatus;
import dev.capstan.api.validation.InvalidSpecException;
import dev.capstan.artifacts.OwnerOnlyFiles;
import dev.capstan.core.ports.EventSink;
import dev.capstan.core.registry.JobLineage;
import dev.capstan.core.registry.ModelVersionState;
import dev.capstan.core.registry.RegistryException;
import dev.capstan.core.training.TrainingAdmission;
import dev.capstan.core.training.TrainingJobState;
import dev.capstan.local.store.DurableFiles;
import dev.capstan.local.store.FileResourceStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * Registers the output of every TrainingJob with {@code spec.output} that succeeds, exactly once.
 *
 * <p>The durable step: {@link #succeeded} writes {@code $CAPSTAN_HOME/registry/job-outputs/<uid>.json}
 * (the job as it succeeded) <em>before</em> the Succeeded status is stored, so a crash or
 * {@code kill -9} at any point leaves either no Succeeded status (the controller decides again) or
 * the file. {@link #drain} registers each file's job output (the registry keeps at most one version
 * per job uid, so doing it twice returns the first version) and only then deletes the file. It runs
 * when a job succeeds and when the server starts, after pending registrations were finished.
 */
public final class JobOutputRegistrations implements AutoCloseable {
  private final Path pending;
  private final JobOutputDirectories outputs;
  private final ModelRegistry registry;
  private final FileResourceStore store;
  private final EventSink events;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("job-outputs").factory());

  public JobOutputRegistrations(Path capstanHome, ModelRegistry registry, FileResourceStore store, EventSink events) {
    this.pending = capstanHome.resolve("registry").resolve("job-outputs");
    this.outputs = JobOutputDirectories.under(capstanHome);
    this.registry = registry;
    this.store = store;
    this.events = events;
  }

  public JobOutputDirectories outputs() {
    return outputs;
  }

  /** Records, durably, that {@code job} succeeded with {@code status}; call before storing the status. */
  public void succeeded(TrainingJob job, TrainingJobStatus status) {
    TrainingJob snapshot = Manifests.copy(job, TrainingJob.class);
    snapshot.setStatus(status);
    try {
      OwnerOnlyFiles.directories(pending);
      DurableFiles.write(file(job.getMetadata().getUid()), Manifests.json().writeValueAsBytes(snapshot));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the output of " + TrainingAdmission.key(job) + ": " + e.getMessage(), e);
    }
  }

  /** Registers every recorded output soon, off the caller's thread. */
  public void drainSoon() {
    worker.execute(this::drain);
  }

  /** Registers every recorded output whose job's success is stored (or whose job is gone). */
  public synchronized void drain() {
    for (Path f : recorded()) {
      try {
        registerOne(f);
      } catch (RuntimeException e) {
        System.err.println(Instant.now() + " job output " + f.getFileName() + " is kept for the next try: " + e);
      }
    }
  }

  private void registerOne(Path f) {
    TrainingJob job;
    try {
      job = Manifests.json().readValue(f.toFile(), TrainingJob.class);
    } catch (IOException e) {
      System.err.println(Instant.now() + " job output " + f + " cannot be read and is dropped: " + e.getMessage());
      DurableFiles.delete(f);
      return;
    }
    Optional<String> state = storedState(job);
    if (state.isPresent() && TrainingJobState.Failed.name().equals(state.get())) {
      DurableFiles.delete(f); // recorded just before a crash, then decided otherwise
      return;
    }
    if (state.isPresent() && !TrainingJobState.Succeeded.name().equals(state.get())) {
      return; // its Succeeded status is not stored yet: registered when it is
    }
    String key = TrainingAdmission.key(job);
    JobOutput output;
    try {
      output = TrainingJobModel.from(job).output().orElseThrow();
    } catch (InvalidSpecException e) {
      drop(f, job, "the job's spec is not valid: " + e.getMessage());
      return;
    }
    String ns = job.getMetadata().getNamespace();
    Registration request = new Registration(outputs.modelFiles(job, output).toString(), "output of " + key, null, null,
        lineage(job), job.getMetadata().getUid());
    ModelVersion version;
    try {
      version = registry.register(ns, output.model(), request);
    } catch (RegistryException | InvalidSpecException e) {
      drop(f, job, e.getMessage());
      return;
    }
    DurableFiles.delete(f);
    String outcome = version.getStatus() == null ? null : version.getStatus().getState();
    events.record(key, EventSink.EventType.Normal, "OutputRegistered",
        "model " + output.model() + " version " + version.getSpec().getVersion() + " (" + outcome + ")");
    if (ModelVersionState.READY.name().equals(outcome)) {
      removeQuietly(outputs.of(job)); // the artifact store holds a checked copy
    }
  }

  /** The stored state of this very job (same uid); empty when it is gone (deleted, or removed after its TTL). */
  private Optional<String> storedState(TrainingJob job) {
    var meta = job.getMetadata();
    return store.get(TrainingJob.PLURAL, meta.getNamespace(), meta.getName())
        .filter(n -> meta.getUid().equals(n.path("metadata").path("uid").asText()))
        .map(n -> n.path("status").path("state").asText(""));
  }

  private Lineage lineage(TrainingJob job) {
    List<String> inputs = job.getSpec().getInputs() == null ? List.of() : job.getSpec().getInputs();
    List<Lineage.Input> recorded = new ArrayList<>();
    Lineage.Parent parent = null;
    for (String uri : inputs) {
      if (ModelUri.isModelUri(uri)) {
        Lineage.Parent p = parent(job.getMetadata().getNamespace(), uri);
        parent = parent == null && p.version() != null ? p : parent;
        recorded.add(new Lineage.Input(uri, null, p.version() == null ? "not found when the job succeeded" : "version " + p.version()));
      } else {
        recorded.add(InputDigests.of(uri));
      }
    }
    return JobLineage.of(job).withInputs(recorded.isEmpty() ? null : recorded, parent);
  }

  private Lineage.Parent parent(String ns, String uri) {
    ModelUri ref = ModelUri.parse("spec.inputs", uri);
    try {
      ModelVersion v = ref.version().isPresent() ? registry.getVersion(ns, ref.model(), ref.version().get())
          : registry.versionByAlias(ns, ref.model(), ref.alias().orElseThrow());
      return new Lineage.Parent(ref.model(), v.getSpec().getVersion(), uri);
    } catch (RegistryException e) {
      return new Lineage.Parent(ref.model(), null, uri);
    }
  }

  private void drop(Path f, TrainingJob job, String why) {
    events.record(TrainingAdmission.key(job), EventSink.EventType.Warning, "OutputNotRegistered", why);
    DurableFiles.delete(f);
  }

  private List<Path> recorded() {
    if (!Files.isDirectory(pending)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(pending)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path file(String uid) {
    return pending.resolve(uid + ".json");
  }

  private static void removeQuietly(Path dir) {
    try {
      OwnerOnlyFiles.deleteTree(dir);
    } catch (IOException e) {
      System.err.println(Instant.now() + " cannot remove the registered output " + dir + ": " + e.getMessage());
    }
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
