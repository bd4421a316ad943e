package dev.capstan.local.server;

import dev.capstan.api.registry.ModelUri;
import dev.capstan.api.serving.InferenceService;
import dev.capstan.api.serving.StorageUri;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.core.ports.Clock;
import dev.capstan.core.queue.ResourceAmounts;
import dev.capstan.core.queue.TrainingJobDemand;
import dev.capstan.core.serving.GatewayFeedback;
import dev.capstan.core.serving.InferenceServiceController;
import dev.capstan.core.serving.ModelSources;
import dev.capstan.core.serving.RevisionKey;
import dev.capstan.core.serving.RevisionLoad;
import dev.capstan.core.serving.ServiceKey;
import dev.capstan.core.serving.ServingControlLoop;
import dev.capstan.core.training.TrainingAdmission;
import dev.capstan.core.training.TrainingJobStore;
import dev.capstan.local.LocalPaths;
import dev.capstan.local.process.LocalLaunch;
import dev.capstan.local.process.PortAllocator;
import dev.capstan.local.queue.LastCycle;
import dev.capstan.local.registry.ModelRegistry;
import dev.capstan.local.registry.RegistryModelSources;
import dev.capstan.local.serving.GatewayHost;
import dev.capstan.local.serving.ModelCopies;
import dev.capstan.local.serving.ProcessServingBackend;
import dev.capstan.local.serving.ServingReplicas;
import dev.capstan.local.serving.ServingSetup;
import dev.capstan.local.serving.StoredInferenceServices;
import dev.capstan.local.store.FileResourceStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Local mode's serving: the InferenceService controller over {@code capstan serve} processes, in a
 * control loop of its own (so a slow training pass never delays a scale from zero), and the gateway
 * on 127.0.0.1 fed with its routes. The gateway's scale-from-zero calls wake the loop at once.
 * Serving replicas count against the host together with training: training admission sees the
 * capacity less what serving replicas hold, and a serving replica starts only in what is left
 * after both.
 */
final class LocalServing implements AutoCloseable {
  private static final Duration DRAIN = Duration.ofSeconds(30);

  private final GatewayHost.Hosted gateway;
  private final ServingReplicas replicas;
  private final ControlLoopThread loopThread;

  LocalServing(LocalPaths paths, ServingSetup setup, FileResourceStore store, TrainingJobStore jobs, ResourceAmounts capacity,
      PortAllocator ports, ModelRegistry registry, EventLog events, LastCycle training) throws IOException {
    Path root = paths.home().resolve("serving");
    Feedback feedback = new Feedback();
    this.gateway = setup.gateway().start(feedback);
    ModelCopies copies = new ModelCopies(root.resolve("models"), (key, uri, target) -> {
      if (ModelUri.isModelUri(uri)) {
        registry.modelUris().export(key.namespace(), ModelUri.parse("storageUri", uri), target);
      } else {
        setup.fetch().fetch(uri, target);
      }
    });
    this.replicas = new ServingReplicas(root.resolve("runtime"), paths.logs().resolve("serving"), setup.launch(), ports,
        feedback::wake, setup.standbys(), root.resolve("models"));
    Supplier<ResourceAmounts> available = () -> leftForServing(jobs, training, capacity);
    ProcessServingBackend backend = new ProcessServingBackend(root.resolve("runtime"), copies, replicas, available,
        java.time.Clock.systemUTC());
    StoredInferenceServices services = new StoredInferenceServices(store);
    InferenceServiceController controller = new InferenceServiceController(services, backend, sources(store, new RegistryModelSources(registry.modelUris())), events,
        Clock.system(), baseUrl());
    ServingControlLoop loop = new ServingControlLoop(services, controller, gateway, Clock.system());
    this.loopThread = new ControlLoopThread(loop::pass, System.err);
    feedback.connect(controller, loopThread);
  }

  void start() {
    loopThread.start();
  }

  /** The gateway's base URL: a service answers at {@code {base}/serving/{namespace}/{name}}. */
  String baseUrl() {
    return "http://127.0.0.1:" + gateway.restPort();
  }

  int gatewayRestPort() {
    return gateway.restPort();
  }

  int gatewayGrpcPort() {
    return gateway.grpcPort();
  }

  /** What serving replicas hold of the host now. */
  ResourceAmounts inUse() {
    return replicas.inUse();
  }

  void wake() {
    loopThread.wake();
  }

  /**
   * Ends the standbys first (they serve nothing, and a slow drain must not leave them behind), then
   * stops routing and the loop; replicas run on, to be adopted by the next server (as training
   * replicas are), and the gateway drains what it holds.
   */
  @Override
  public void close() {
    replicas.endStandbys();
    try {
      loopThread.stop(DRAIN);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    gateway.close();
    replicas.close();
  }

  /**
   * What a new serving replica may take: the capacity less what serving replicas hold and what the
   * training jobs hold that the training loop's latest scheduling cycle admitted (or is preempting).
   */
  private ResourceAmounts leftForServing(TrainingJobStore jobs, LastCycle training, ResourceAmounts capacity) {
    ResourceAmounts left = capacity.minus(replicas.inUse());
    for (TrainingJob job : jobs.list()) {
      if (training.holdsCapacity(TrainingAdmission.key(job))) {
        try {
          left = left.minus(TrainingJobDemand.of(TrainingJobModel.from(job)));
        } catch (RuntimeException e) {
          // an invalid job holds nothing: its own reconcile fails it
        }
      }
    }
    return left;
  }

  /**
   * Registry references pinned to the version they name now; other sources as written, a relative
   * path resolved against the directory of the manifest it came from (as a training replica's
   * working directory is).
   */
  private static ModelSources sources(FileResourceStore store, ModelSources registry) {
    return (ServiceKey service, StorageUri uri) -> {
      ModelSources.Resolved resolved = registry.resolve(service, uri);
      if (uri.scheme() != StorageUri.Scheme.PATH || Path.of(uri.text()).isAbsolute()) {
        return resolved;
      }
      Optional<String> manifestDir = store.get(InferenceService.PLURAL, service.namespace(), service.name())
          .map(node -> node.path("metadata").path("annotations").path(LocalLaunch.MANIFEST_DIR))
          .filter(n -> n.isTextual()).map(n -> n.asText());
      Path base = manifestDir.map(Path::of).orElse(Path.of("").toAbsolutePath());
      return new ModelSources.Resolved(base.resolve(uri.text()).normalize().toString(), resolved.modelVersion());
    };
  }

  /** The gateway's feedback, handed to the controller once it exists; a scale from zero wakes the loop. */
  private static final class Feedback implements GatewayFeedback {
    private volatile InferenceServiceController controller;
    private volatile ControlLoopThread loop;

    void connect(InferenceServiceController controller, ControlLoopThread loop) {
      this.controller = controller;
      this.loop = loop;
    }

    void wake() {
      ControlLoopThread l = loop;
      if (l != null) {
        l.wake();
      }
    }

    @Override
    public void reportLoad(List<RevisionLoad> loads) {
      InferenceServiceController c = controller;
      if (c != null) {
        c.reportLoad(loads);
      }
    }

    @Override
    public void scaleFromZero(RevisionKey revision) {
      InferenceServiceController c = controller;
      if (c != null) {
        System.err.println(java.time.Instant.now() + " InferenceService " + revision.namespace() + "/" + revision.service()
            + ": a request waits at zero replicas; revision " + revision.revision() + " scales from zero");
        c.scaleFromZero(revision);
        wake();
      }
    }
  }
}
