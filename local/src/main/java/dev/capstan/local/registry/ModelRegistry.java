package dev.capstan.local.registry;

import dev.capstan.api.registry.Lineage;
import dev.capstan.api.registry.Model;
import dev.capstan.api.registry.ModelSpec;
import dev.capstan.api.registry.ModelStatus;
import dev.capstan.api.registry.ModelVersion;
import dev.capstan.api.registry.ModelVersionSpec;
import dev.capstan.api.registry.ModelVersionStatus;
import dev.capstan.api.registry.RegistryNames;
import dev.capstan.api.registry.RegistryValidator;
import dev.capstan.api.validation.InvalidSpecException;
import dev.capstan.core.ports.EventSink;
import dev.capstan.core.registry.AliasChange;
import dev.capstan.core.registry.ArtifactSource;
import dev.capstan.core.registry.ArtifactStore;
import dev.capstan.core.registry.JobLineage;
import dev.capstan.core.registry.ModelServing;
import dev.capstan.core.registry.ModelVersionState;
import dev.capstan.core.registry.RegistryException;
import dev.capstan.core.registry.VersionNumbering;
import dev.capstan.core.registry.VersionStatuses;
import dev.capstan.local.store.FileResourceStore;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The local model registry: Models and ModelVersions in the durable store, files in an
 * {@link ArtifactStore}. This is the Java API that the local HTTP API (and the MLflow-compatible
 * one) answer with.
 *
 * <ul>
 *   <li>Models: {@link #createModel}, {@link #getModel}, {@link #listModels}, {@link #updateModel},
 *       {@link #deleteModel} (its versions go with it).
 *   <li>Versions: {@link #register} (numbers from a high-water mark kept in the Model's status, never
 *       reused), {@link #getVersion}, {@link #listVersions}, {@link #updateVersion} (description and
 *       tags only), {@link #deleteVersion} (refused while an alias points at it),
 *       {@link #versionByAlias}.
 *   <li>Aliases: {@link #setAlias} and {@link #deleteAlias}, compare-and-set on the Model's
 *       resourceVersion (null skips the check); each change is an event on the Model naming who,
 *       from and to.
 * </ul>
 *
 * Refusals are {@link RegistryException}s (NOT_FOUND, ALREADY_EXISTS, STALE, IN_USE, WRONG_STATE,
 * INVALID) or {@link InvalidSpecException}s with field paths. Metadata changes happen under one
 * lock; storing a version's files does not hold it.
 */
public final class ModelRegistry {
  /** The annotation on a version registered from a job's output: the job's uid. */
  public static final String OUTPUT_OF_JOB = "capstan.dev/output-of-job";
  private final StoredRegistry stored;
  private final VersionRegistration registration;
  private final EventSink events;
  private final String user;
  private final Object lock = new Object();
  private final LocalModelUris uris;
  private final Map<String, String> env;

  /** {@code user} is who alias events name (the local server's user). */
  public ModelRegistry(FileResourceStore store, ArtifactStore artifacts, EventSink events, String user) {
    this(store, artifacts, events, user, System.getenv());
  }

  /** As above; {@code env} holds the AWS variables an {@code s3://} source is read with. */
  public ModelRegistry(FileResourceStore store, ArtifactStore artifacts, EventSink events, String user, Map<String, String> env) {
    this.env = env;
    this.stored = new StoredRegistry(store);
    this.events = events;
    this.user = user;
    this.registration = new VersionRegistration(stored, artifacts, events, lock, env);
    this.uris = new LocalModelUris(this, artifacts);
  }

  /** {@code models:/} references resolved and exported from this registry (see {@link LocalModelUris}). */
  public LocalModelUris modelUris() {
    return uris;
  }

  // ---- models

  public Model createModel(String ns, String name, String description, Map<String, String> tags) {
    RegistryNames.modelName("metadata.name", name);
    synchronized (lock) {
      if (stored.model(ns, name).isPresent()) {
        throw new RegistryException(RegistryException.Reason.ALREADY_EXISTS, "model " + ns + "/" + name + " already exists");
      }
      return stored.saveModel(newModel(ns, name, description, tags));
    }
  }

  public Model getModel(String ns, String name) {
    return stored.existingModel(ns, RegistryNames.modelName("metadata.name", name));
  }

  public Optional<Model> findModel(String ns, String name) {
    return stored.model(ns, RegistryNames.modelName("metadata.name", name));
  }

  /** Models in a namespace (null: every namespace), by namespace and name. */
  public List<Model> listModels(String ns) {
    return stored.models(ns);
  }

  /** Sets the description and tags (a null one is kept); aliases change only through {@link #setAlias}. */
  public Model updateModel(String ns, String name, String description, Map<String, String> tags) {
    synchronized (lock) {
      Model model = getModel(ns, name);
      ModelSpec spec = model.getSpec();
      if (description != null) {
        spec.setDescription(description);
      }
      if (tags != null) {
        spec.setTags(new LinkedHashMap<>(tags));
      }
      RegistryValidator.check(spec);
      return stored.saveModel(model);
    }
  }

  /**
   * Replaces the model's tags by {@code change} of the current ones, read and written under the
   * registry's lock, so that concurrent changes to different tags all stay.
   */
  public Model retagModel(String ns, String name, UnaryOperator<Map<String, String>> change) {
    synchronized (lock) {
      return updateModel(ns, name, null, change.apply(copy(getModel(ns, name).getSpec().getTags())));
    }
  }

  /** Deletes the model, its aliases and every version (their files stay in the artifact store); refused while a live InferenceService refers to it. */
  public void deleteModel(String ns, String name) {
    synchronized (lock) {
      getModel(ns, name);
      refuseInUse(ModelServing.servicesOfModel(stored.services(ns), ns, name), "model " + ns + "/" + name);
      stored.versions(ns, name).forEach(stored::removeVersion);
      stored.removeModel(ns, name);
    }
  }

  // ---- versions

  /**
   * Registers the next version of {@code model} (created when missing) from a directory: the
   * version is PENDING_REGISTRATION while its files are stored, then READY with every file's
   * sha256, or FAILED_REGISTRATION with the reason. Returns the version as it ended.
   */
  public ModelVersion register(String ns, String model, Registration request) {
    RegistryNames.modelName("metadata.name", model);
    Optional<ModelVersion> earlier = outputOf(ns, model, request.outputOfJob());
    if (earlier.isPresent()) {
      return earlier.get(); // its source may be gone by now: it was stored
    }
    ArtifactSource source = RegistrationSource.of(request.source(), env);
    try {
      return register(ns, model, request, source);
    } finally {
      RegistrationSource.close(source);
    }
  }

  private ModelVersion register(String ns, String model, Registration request, ArtifactSource source) {
    ModelVersion draft = newVersion(ns, model, request); // checked before a number is burnt
    ModelVersion pending;
    synchronized (lock) {
      Optional<ModelVersion> made = outputOf(ns, model, request.outputOfJob());
      if (made.isPresent()) {
        return made.get(); // a job's output is registered once
      }
      Model m = stored.model(ns, model).orElseGet(() -> stored.saveModel(newModel(ns, model, null, null)));
      long number = VersionNumbering.next(highWater(m));
      ModelStatus status = Optional.ofNullable(m.getStatus()).orElseGet(ModelStatus::new);
      status.setLatestVersion(VersionNumbering.raise(highWater(m), number));
      m.setStatus(status);
      stored.saveModelStatus(m); // the number is burnt before the version exists
      draft.getSpec().setVersion(number);
      draft.getMetadata().setName(RegistryNames.versionObjectName(model, number));
      if (request.outputOfJob() != null) {
        draft.getMetadata().setAnnotations(Map.of(OUTPUT_OF_JOB, request.outputOfJob()));
      }
      pending = stored.saveVersion(draft);
      ModelVersionStatus pendingStatus = new ModelVersionStatus();
      pendingStatus.setState(ModelVersionState.PENDING_REGISTRATION.name());
      pendingStatus.setMessage("storing the files of " + request.source());
      stored.saveVersionStatus(pending, pendingStatus);
    }
    return registration.store(pending, source);
  }

  /** The version of {@code model} registered from the output of the job with this uid, if any. */
  public Optional<ModelVersion> outputOf(String ns, String model, String jobUid) {
    if (jobUid == null) {
      return Optional.empty();
    }
    return stored.versions(ns, model).stream()
        .filter(v -> v.getMetadata().getAnnotations() != null && jobUid.equals(v.getMetadata().getAnnotations().get(OUTPUT_OF_JOB)))
        .findFirst();
  }

  /** The lineage of a stored TrainingJob, to register a version with: {@code --job NS/NAME}. */
  public Lineage jobLineage(String ns, String job) {
    return stored.job(ns, job).map(JobLineage::of).orElseThrow(() -> new RegistryException(
        RegistryException.Reason.NOT_FOUND, "trainingjob " + ns + "/" + job + " not found"));
  }

  public ModelVersion getVersion(String ns, String model, long version) {
    return stored.existingVersion(ns, RegistryNames.modelName("spec.model", model), version);
  }

  /** Versions in a namespace (null: every namespace) of one model (null: every model). */
  public List<ModelVersion> listVersions(String ns, String model) {
    return stored.versions(ns, model);
  }

  /** Sets a version's description and tags (a null one is kept); nothing else of a version changes. */
  public ModelVersion updateVersion(String ns, String model, long version, String description, Map<String, String> tags) {
    synchronized (lock) {
      ModelVersion v = getVersion(ns, model, version);
      if (description != null) {
        v.getSpec().setDescription(description);
      }
      if (tags != null) {
        v.getSpec().setTags(new LinkedHashMap<>(tags));
      }
      RegistryValidator.check(v.getSpec());
      return stored.saveVersion(v);
    }
  }

  /** As {@link #retagModel}, for a version's tags. */
  public ModelVersion retagVersion(String ns, String model, long version, UnaryOperator<Map<String, String>> change) {
    synchronized (lock) {
      return updateVersion(ns, model, version, null, change.apply(copy(getVersion(ns, model, version).getSpec().getTags())));
    }
  }

  /**
   * Deletes a version; refused, naming the service or alias, while a live InferenceService uses it
   * or an alias points at it. Its number stays burnt.
   */
  public void deleteVersion(String ns, String model, long version) {
    synchronized (lock) {
      ModelVersion v = getVersion(ns, model, version);
      Map<String, Long> aliases = stored.model(ns, model).map(m -> m.getSpec().getAliases()).orElse(Map.of());
      refuseInUse(ModelServing.servicesUsingVersion(stored.services(ns), ns, model, version, aliases,
          v.getStatus() == null ? null : v.getStatus().getStorageUri()), "version " + version + " of model " + ns + "/" + model);
      AliasChange.checkDeletable(aliases, version);
      stored.removeVersion(v);
      events.record(object(ns, model), EventSink.EventType.Normal, "VersionDeleted", "version " + version + " deleted by " + user);
    }
  }

  public ModelVersion versionByAlias(String ns, String model, String alias) {
    Long version = getModel(ns, model).getSpec().getAliases().get(RegistryNames.alias("alias", alias));
    if (version == null) {
      throw new RegistryException(RegistryException.Reason.NOT_FOUND, "model " + ns + "/" + model + " has no alias '" + alias + "'");
    }
    return getVersion(ns, model, version);
  }

  // ---- aliases

  /** Points an alias at a READY version if the model's resourceVersion is still {@code expected} (null: any). */
  public Model setAlias(String ns, String model, String alias, long version, String expected) {
    RegistryNames.alias("alias", alias);
    synchronized (lock) {
      Model m = getModel(ns, model);
      ModelVersion target = getVersion(ns, model, version);
      ModelVersionState state = ModelVersionState.parse(target.getStatus() == null ? null : target.getStatus().getState());
      AliasChange.Result change = AliasChange.set(m.getSpec().getAliases(), alias, version, state, expected,
          m.getMetadata().getResourceVersion());
      return saveAliases(m, change, "AliasSet");
    }
  }

  /** Removes an alias if the model's resourceVersion is still {@code expected} (null: any). */
  public Model deleteAlias(String ns, String model, String alias, String expected) {
    RegistryNames.alias("alias", alias);
    synchronized (lock) {
      Model m = getModel(ns, model);
      refuseInUse(ModelServing.servicesFollowingAlias(stored.services(ns), ns, model, alias),
          "alias '" + alias + "' of model " + ns + "/" + model);
      AliasChange.Result change = AliasChange.delete(m.getSpec().getAliases(), alias, expected, m.getMetadata().getResourceVersion());
      return saveAliases(m, change, "AliasDeleted");
    }
  }

  /** Finishes or fails every version a stopped server left PENDING_REGISTRATION (at start). */
  public void finishPending() {
    registration.finishPending();
  }

  private Model saveAliases(Model m, AliasChange.Result change, String reason) {
    if (!change.changed()) {
      return m;
    }
    m.getSpec().setAliases(change.aliases());
    Model saved = stored.saveModel(m);
    events.record(object(m.getMetadata().getNamespace(), m.getMetadata().getName()), EventSink.EventType.Normal, reason,
        change.describe() + " by " + user);
    return saved;
  }

  private static void refuseInUse(List<String> services, String what) {
    if (!services.isEmpty()) {
      throw new RegistryException(RegistryException.Reason.IN_USE, what + " is used by InferenceService"
          + (services.size() == 1 ? " " : "s ") + String.join(", ", services) + "; change or delete "
          + (services.size() == 1 ? "it" : "them") + " first");
    }
  }

  private long highWater(Model m) {
    long mark = m.getStatus() == null || m.getStatus().getLatestVersion() == null ? 0 : m.getStatus().getLatestVersion();
    // defensive: a version on disk above the mark (a store edited by hand) still burns its number
    for (ModelVersion v : stored.versions(m.getMetadata().getNamespace(), m.getMetadata().getName())) {
      mark = Math.max(mark, v.getSpec().getVersion());
    }
    return mark;
  }

  private static Map<String, String> copy(Map<String, String> tags) {
    return tags == null ? new LinkedHashMap<>() : new LinkedHashMap<>(tags);
  }

  private static Model newModel(String ns, String name, String description, Map<String, String> tags) {
    Model model = new Model();
    model.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).build());
    ModelSpec spec = new ModelSpec();
    spec.setDescription(description);
    if (tags != null) {
      spec.setTags(new LinkedHashMap<>(tags));
    }
    RegistryValidator.check(spec);
    model.setSpec(spec);
    return model;
  }

  /** A version of {@code model} as the request describes it, its number still to be given. */
  private static ModelVersion newVersion(String ns, String model, Registration request) {
    ModelVersion v = new ModelVersion();
    v.setMetadata(new ObjectMetaBuilder().withNamespace(ns).build());
    ModelVersionSpec spec = new ModelVersionSpec();
    spec.setModel(model);
    spec.setSource(request.source());
    spec.setDescription(request.description());
    if (request.tags() != null) {
      spec.setTags(new LinkedHashMap<>(request.tags()));
    }
    Map<String, Double> metrics = VersionStatuses.numericMetrics(request.lineage());
    if (request.metrics() != null) {
      metrics.putAll(request.metrics());
    }
    spec.setMetrics(metrics);
    spec.setLineage(request.lineage());
    RegistryValidator.check(spec);
    v.setSpec(spec);
    return v;
  }

  static String object(String ns, String model) {
    return Model.KIND + " " + ns + "/" + model;
  }
}
