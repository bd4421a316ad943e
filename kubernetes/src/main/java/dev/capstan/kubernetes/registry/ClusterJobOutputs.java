package dev.capstan.kubernetes.registry;

import dev.capstan.api.registry.Lineage;
import dev.capstan.api.registry.Model;
import dev.capstan.api.registry.ModelSpec;
import dev.capstan.api.registry.ModelStatus;
import dev.capstan.api.registry.ModelUri;
import dev.capstan.api.registry.ModelVersion;
import dev.capstan.api.registry.ModelVersionSpec;
import dev.capstan.api.registry.ModelVersionStatus;
import dev.capstan.api.registry.RegistryNames;
import dev.capstan.api.training.JobOutput;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.artifacts.ArtifactLimits;
import dev.capstan.artifacts.ArtifactSources;
import dev.capstan.artifacts.OpenedSource;
import dev.capstan.artifacts.s3.S3ArtifactStore;
import dev.capstan.artifacts.s3.S3Settings;
import dev.capstan.core.registry.ArtifactException;
import dev.capstan.core.registry.ArtifactStore;
import dev.capstan.core.registry.JobLineage;
import dev.capstan.core.registry.ModelVersionState;
import dev.capstan.core.registry.VersionNumbering;
import dev.capstan.core.registry.VersionStatuses;
import dev.capstan.core.training.TrainingJobState;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cluster mode's registration of job outputs: replicas of a job with {@code spec.output} get
 * {@code CAPSTAN_OUTPUT_URI} ({@link #location}), and once the job's status says Succeeded,
 * {@link #ensureRegistered} stores what they wrote there as the next ModelVersion, with lineage.
 *
 * <p>Exactly once: the version is labelled with the job's uid and created PENDING_REGISTRATION
 * (its number burnt first on the Model's status, compare-and-set); the job is annotated with the
 * version once it is READY or FAILED_REGISTRATION. A pass that finds the annotation does nothing; one
 * that finds a labelled version finishes it rather than making another, so an operator restart at
 * any point neither loses nor duplicates the version.
 */
public final class ClusterJobOutputs {
  /** The label on a version registered from a job's output, and the annotation on the job once it is: the job's uid / the version. */
  public static final String OUTPUT_OF_JOB = "capstan.dev/output-of-job";
  public static final String REGISTERED_AS = "capstan.dev/output-registered-as";
  public static final String ENV = "CAPSTAN_OUTPUT_URI";

  private final ArtifactStore artifacts;
  private final String outputsRoot;
  private final Map<String, String> env;

  /**
   * {@code outputsRoot}: where job outputs go ({@code s3://bucket/prefix/outputs}); {@code env}:
   * the AWS variables outputs are read with.
   */
  public ClusterJobOutputs(ArtifactStore artifacts, String outputsRoot, Map<String, String> env) {
    this.artifacts = artifacts;
    this.outputsRoot = outputsRoot.endsWith("/") ? outputsRoot.substring(0, outputsRoot.length() - 1) : outputsRoot;
    this.env = env;
  }

  /**
   * The operator's, when its environment names an S3 artifact store ({@code CAPSTAN_ARTIFACTS_URI}
   * or {@code CAPSTAN_ARTIFACTS_BUCKET}, from the chart's Secret): outputs go under
   * {@code <artifacts URI>/outputs}. Empty otherwise: jobs with {@code spec.output} then run
   * without an output location and nothing is registered.
   */
  public static Optional<ClusterJobOutputs> fromEnvironment(Map<String, String> env) {
    if (!S3Settings.named(env)) {
      return Optional.empty();
    }
    S3Settings settings = S3Settings.fromEnvironment(env);
    return Optional.of(new ClusterJobOutputs(S3ArtifactStore.open(settings, ArtifactLimits.fromEnvironment(env)),
        settings.uri() + "/outputs", env));
  }

  /** {@code <root>/<namespace>/<job>/<uid>}: where the job's replicas write. */
  public String outputUri(TrainingJob job) {
    var meta = job.getMetadata();
    return outputsRoot + "/" + meta.getNamespace() + "/" + meta.getName() + "/" + meta.getUid();
  }

  /** The variables the job's replicas get, for {@code JobOutputBackend}. */
  public Map<String, String> location(TrainingJob job) {
    return Map.of(ENV, outputUri(job));
  }

  /**
   * Registers a Succeeded job's output if it is not yet; returns the version (empty when there is
   * nothing to do: no output, not Succeeded, already registered).
   */
  public Optional<ModelVersion> ensureRegistered(KubernetesClient client, TrainingJob job) {
    if (job.getSpec() == null || job.getSpec().getOutput() == null || job.getStatus() == null
        || !TrainingJobState.Succeeded.name().equals(job.getStatus().getState())
        || job.getMetadata().getAnnotations() != null && job.getMetadata().getAnnotations().containsKey(REGISTERED_AS)) {
      return Optional.empty();
    }
    JobOutput output = TrainingJobModel.from(job).output().orElseThrow();
    String ns = job.getMetadata().getNamespace();
    ModelVersion version = client.resources(ModelVersion.class).inNamespace(ns).withLabel(OUTPUT_OF_JOB, job.getMetadata().getUid())
        .list().getItems().stream().findFirst().orElseGet(() -> createPending(client, job, output));
    if (ModelVersionState.parse(state(version)) == ModelVersionState.PENDING_REGISTRATION) {
      version = store(client, version);
    }
    String name = version.getMetadata().getName();
    client.resources(TrainingJob.class).inNamespace(ns).withName(job.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\"" + REGISTERED_AS + "\":\"" + name + "\"}}}");
    return Optional.of(version);
  }

  private ModelVersion createPending(KubernetesClient client, TrainingJob job, JobOutput output) {
    String ns = job.getMetadata().getNamespace();
    long number = burnNumber(client, ns, output.model());
    ModelVersion v = new ModelVersion();
    v.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(RegistryNames.versionObjectName(output.model(), number))
        .withLabels(Map.of(OUTPUT_OF_JOB, job.getMetadata().getUid())).build());
    ModelVersionSpec spec = new ModelVersionSpec();
    spec.setModel(output.model());
    spec.setVersion(number);
    spec.setSource(output.path().map(p -> outputUri(job) + "/" + p).orElse(outputUri(job)));
    spec.setDescription("output of " + TrainingJob.KIND + " " + ns + "/" + job.getMetadata().getName());
    Lineage lineage = lineage(client, job);
    spec.setLineage(lineage);
    spec.setMetrics(VersionStatuses.numericMetrics(lineage));
    v.setSpec(spec);
    ModelVersion created = client.resource(v).create();
    ModelVersionStatus pending = new ModelVersionStatus();
    pending.setState(ModelVersionState.PENDING_REGISTRATION.name());
    pending.setMessage("storing the files of " + spec.getSource());
    created.setStatus(pending);
    return client.resource(created).updateStatus();
  }

  /** Raises the model's high-water mark by one, compare-and-set on its resourceVersion; the model is created when missing. */
  private static long burnNumber(KubernetesClient client, String ns, String name) {
    for (int attempt = 0; ; attempt++) {
      Model model = client.resources(Model.class).inNamespace(ns).withName(name).get();
      if (model == null) {
        Model fresh = new Model();
        fresh.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).build());
        fresh.setSpec(new ModelSpec());
        model = client.resource(fresh).create();
      }
      ModelStatus status = model.getStatus() == null ? new ModelStatus() : model.getStatus();
      long mark = status.getLatestVersion() == null ? 0 : status.getLatestVersion();
      long next = VersionNumbering.next(mark);
      status.setLatestVersion(VersionNumbering.raise(mark, next));
      model.setStatus(status);
      try {
        client.resource(model).updateStatus(); // carries the resourceVersion read: 409 when another wrote meanwhile
        return next;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 10) {
          throw e;
        }
      }
    }
  }

  private ModelVersion store(KubernetesClient client, ModelVersion pending) {
    ModelVersionStatus status;
    String key = pending.getMetadata().getNamespace() + "/" + pending.getSpec().getModel() + "/" + pending.getSpec().getVersion()
        + "/" + System.currentTimeMillis();
    try (OpenedSource source = ArtifactSources.of(pending.getSpec().getSource(), env)) {
      status = VersionStatuses.ready(artifacts.put(key, source), Instant.now());
    } catch (ArtifactException | IllegalArgumentException e) {
      status = VersionStatuses.failed(e.getMessage());
    }
    pending.setStatus(status);
    return client.resource(pending).updateStatus();
  }

  /** The job's lineage; its inputs are the job's to read, so they are recorded by URI; a models: input is resolved now. */
  private static Lineage lineage(KubernetesClient client, TrainingJob job) {
    List<Lineage.Input> inputs = new ArrayList<>();
    Lineage.Parent parent = null;
    for (String uri : job.getSpec().getInputs() == null ? List.<String>of() : job.getSpec().getInputs()) {
      if (ModelUri.isModelUri(uri)) {
        Optional<Long> version = resolve(client, job.getMetadata().getNamespace(), ModelUri.parse("spec.inputs", uri));
        parent = parent == null && version.isPresent() ? new Lineage.Parent(ModelUri.parse("spec.inputs", uri).model(), version.get(), uri) : parent;
        inputs.add(new Lineage.Input(uri, null, version.map(v -> "version " + v).orElse("not found when the job succeeded")));
      } else {
        inputs.add(new Lineage.Input(uri, null, "not hashed: read by the job's pods"));
      }
    }
    return JobLineage.of(job).withInputs(inputs.isEmpty() ? null : inputs, parent);
  }

  private static Optional<Long> resolve(KubernetesClient client, String ns, ModelUri uri) {
    if (uri.version().isPresent()) {
      return Optional.ofNullable(client.resources(ModelVersion.class).inNamespace(ns)
          .withName(RegistryNames.versionObjectName(uri.model(), uri.version().get())).get()).map(v -> v.getSpec().getVersion());
    }
    Model model = client.resources(Model.class).inNamespace(ns).withName(uri.model()).get();
    return model == null || model.getSpec() == null ? Optional.empty()
        : Optional.ofNullable(model.getSpec().getAliases().get(uri.alias().orElseThrow()));
  }

  private static String state(ModelVersion v) {
    return v.getStatus() == null ? null : v.getStatus().getState();
  }

}
