package dev.capstan.local.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.capstan.api.codec.Manifests;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobStatus;
import dev.capstan.core.ports.Clock;
import dev.capstan.core.queue.QueueMetrics;
import dev.capstan.core.queue.Capacity;
import dev.capstan.core.queue.ResourceList;
import dev.capstan.core.queue.ResourceAmounts;
import dev.capstan.core.registry.JobOutputBackend;
import dev.capstan.core.training.Observed;
import dev.capstan.core.training.TrainingAdmission;
import dev.capstan.core.training.TrainingControlLoop;
import dev.capstan.core.training.TrainingJobController;
import dev.capstan.core.training.TrainingJobStore;
import dev.capstan.local.LocalPaths;
import dev.capstan.local.host.GpuInventory;
import dev.capstan.local.host.HostCapacity;
import dev.capstan.local.mlflow.MlflowApi;
import dev.capstan.local.mlflow.RegistryBackedOperations;
import dev.capstan.artifacts.ArtifactStores;
import dev.capstan.local.process.ProcessReplicaBackend;
import dev.capstan.local.queue.LastCycle;
import dev.capstan.local.queue.StoredQueues;
import dev.capstan.local.serving.ServingSetup;
import dev.capstan.local.registry.JobOutputRegistrations;
import dev.capstan.local.registry.ModelRegistry;
import dev.capstan.local.registry.OutputRecordingJobs;
import dev.capstan.local.store.DurableFiles;
import dev.capstan.local.store.FileResourceStore;
import dev.capstan.local.store.StoredTrainingJobs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * Local mode's control plane: the durable store, the core training controllers over process
 * replicas, and the HTTP API on 127.0.0.1 (for the home's owner only: see {@link ApiAccessFilter}
 * and {@link PrivateHome}). One per {@code $CAPSTAN_HOME}, guarded by a file lock.
 * On start it re-adopts replica processes that outlived a previous server.
 */
public final class LocalControlPlane implements AutoCloseable {
  private final LocalPaths paths;
  private final FileLock lock;
  private final FileResourceStore store;
  private final ResourceAmounts capacity;
  private final EventLog events;
  private final TrainingControlLoop loop;
  private final HttpServer http;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final ControlLoopThread loopThread;
  private final ProcessReplicaBackend backend;
  private final ModelRegistry registry;
  /** InferenceServices and the gateway; null when the host program set up no serving. */
  private final LocalServing serving;
  private final JobOutputRegistrations jobOutputs;
  private volatile boolean running = true;

  private LocalControlPlane(LocalPaths paths, FileLock lock, int port, ApiToken token, ServingSetup servingSetup)
      throws IOException {
    this.paths = paths;
    this.lock = lock;
    this.store = new FileResourceStore(paths.store());
    GpuInventory gpus = GpuInventory.detect();
    this.capacity = HostCapacity.detect(gpus);
    this.events = new EventLog(paths.events());
    this.backend = new ProcessReplicaBackend(paths, gpus);
    this.registry = new ModelRegistry(store, ArtifactStores.fromEnvironment(System.getenv(), paths.home()), events,
        System.getProperty("user.name"));
    QueueMetrics queueMetrics = new QueueMetrics(new StoredQueues(store), Clock.system());
    LastCycle lastCycle = new LastCycle(queueMetrics);
    this.serving = servingSetup == null ? null : new LocalServing(paths, servingSetup, store, new StoredTrainingJobs(store),
        capacity, backend.ports(), registry, events, lastCycle);
    this.jobOutputs = new JobOutputRegistrations(paths.home(), registry, store, events);
    TrainingJobStore jobs = new OutputRecordingJobs(new RemovingStore(new StoredTrainingJobs(store), backend, events), jobOutputs);
    TrainingJobController controller = new TrainingJobController(jobs, new JobOutputBackend(backend, jobOutputs.outputs()::prepare),
        events, Clock.system());
    this.loop = new TrainingControlLoop(jobs, controller, this::trainingCapacity, lastCycle, Clock.system());
    HttpExchanges.limitRequestTime();
    this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    ApiAccessFilter access = new ApiAccessFilter(token, http.getAddress());
    http.createContext("/healthz", ex -> {
      HttpExchanges.json(ex, 200, Map.of("ok", true, "pid", ProcessHandle.current().pid()));
      ex.close();
    }).getFilters().add(access);
    http.createContext("/metrics", ex -> metrics(ex, queueMetrics)).getFilters().add(access);
    http.createContext("/apis/", new ResourceApi(store, this, new LogStreams(paths, store), new RegistryApi(registry))).getFilters().add(access);
    http.createContext(MlflowApi.PREFIX, new MlflowApi(
        new RegistryBackedOperations(registry, RegistryBackedOperations.NAMESPACE), HttpExchanges::body)).getFilters().add(access);
    this.loopThread = new ControlLoopThread(loop::pass, System.err);
  }

  /** GET /metrics: the queues' metrics in Prometheus text form. */
  private static void metrics(HttpExchange ex, QueueMetrics metrics) throws IOException {
    try (ex) {
      if (!ex.getRequestMethod().equals("GET") || !ex.getRequestURI().getPath().equals("/metrics")) {
        HttpExchanges.error(ex, ex.getRequestURI().getPath().equals("/metrics") ? 405 : 404,
            "only GET /metrics is served here", List.of());
        return;
      }
      byte[] body = metrics.exposition().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", QueueMetrics.CONTENT_TYPE);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
    }
  }

  /** Starts a control plane for this home, without serving; fails if another server already holds it. */
  public static LocalControlPlane start(LocalPaths paths, int port) {
    return start(paths, port, null);
  }

  /**
   * Starts a control plane for this home, running InferenceServices with {@code serving} (null:
   * none); fails if another server already holds the home.
   */
  public static LocalControlPlane start(LocalPaths paths, int port, ServingSetup serving) {
    try {
      PrivateHome.create(paths);
      FileChannel channel = FileChannel.open(paths.serverLock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        throw new IllegalStateException("another Capstan server is already running for " + paths.home());
      }
      ApiToken token = ApiToken.loadOrCreate(paths.token()); // before tightening: an exposed token is replaced
      PrivateHome.tighten(paths);
      LocalControlPlane plane = new LocalControlPlane(paths, lock, port, token, serving);
      plane.http.start();
      plane.loopThread.start();
      if (plane.serving != null) {
        plane.serving.start();
      }
      Thread.ofVirtual().name("registry-recovery").start(() -> {
        plane.registry.finishPending();
        plane.jobOutputs.drain();
      });
      plane.writeServerInfo();
      return plane;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Capstan server: " + e.getMessage(), e);
    }
  }

  public int port() {
    return http.getAddress().getPort();
  }

  public ResourceAmounts capacity() {
    return capacity;
  }

  /** The gateway's base URL (InferenceServices answer under {@code /serving/{namespace}/{name}}), if serving runs. */
  public Optional<String> gatewayUrl() {
    return serving().map(LocalServing::baseUrl);
  }

  Optional<LocalServing> serving() {
    return Optional.ofNullable(serving);
  }

  /** What training admission may hand out: the capacity less what serving replicas hold. */
  /**
   * The host as training's scheduling cycle sees it: all of it, with what serving replicas hold now
   * reserved, so a job that fits the machine waits for them rather than being refused.
   */
  private Capacity trainingCapacity() {
    return Capacity.host(ResourceList.from(capacity), serving == null ? ResourceList.EMPTY : ResourceList.from(serving.inUse()));
  }

  /** The model registry this control plane serves (also to the MLflow-compatible API). */
  public ModelRegistry registry() {
    return registry;
  }

  /** A TrainingJob's replicas as the process backend sees them now. */
  public Observed replicas(ObjectNode job) {
    return backend.observe(Manifests.json().convertValue(job, TrainingJob.class));
  }

  public EventLog events() {
    return events;
  }

  /** Asks the control loops (training and serving) for a pass now rather than at their next tick. */
  public void wake() {
    loopThread.wake();
    if (serving != null) {
      serving.wake();
    }
  }

  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  @Override
  public void close() {
    if (!running) {
      return;
    }
    running = false;
    http.stop(0);
    try {
      loopThread.stop(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    jobOutputs.close();
    if (serving != null) {
      serving.close();
    }
    backend.close();
    DurableFiles.delete(paths.serverInfo());
    try {
      lock.release();
      lock.channel().close();
    } catch (IOException e) {
      // the lock goes with the process anyway
    }
    stopped.countDown();
  }

  private void writeServerInfo() throws IOException {
    Map<String, Object> info = new java.util.LinkedHashMap<>(Map.of("port", port(), "pid", ProcessHandle.current().pid(),
        "home", paths.home().toString(), "capacity", capacity));
    if (serving != null) {
      info.put("gateway", Map.of("url", serving.baseUrl(), "restPort", serving.gatewayRestPort(), "grpcPort", serving.gatewayGrpcPort()));
    }
    DurableFiles.write(paths.serverInfo(), Manifests.json().writeValueAsBytes(info));
  }

  /** When the controller removes a job, its processes' records, ports, logs and events go too. */
  private record RemovingStore(StoredTrainingJobs delegate, ProcessReplicaBackend backend, EventLog events)
      implements TrainingJobStore {
    @Override
    public List<TrainingJob> list() {
      return delegate.list();
    }

    @Override
    public void updateStatus(TrainingJob job, TrainingJobStatus status) {
      delegate.updateStatus(job, status);
    }

    @Override
    public void remove(TrainingJob job) {
      delegate.remove(job);
      backend.release(job);
      events.forget(TrainingAdmission.key(job));
    }
  }
}
