package dev.capstan.local.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.serving.Batching;
import dev.capstan.api.serving.InferenceService;
import dev.capstan.api.serving.PredictorFormat;
import dev.capstan.api.serving.PredictorTemplate;
import dev.capstan.api.serving.StorageUri;
import dev.capstan.core.queue.ResourceAmounts;
import dev.capstan.core.serving.RevisionAction;
import dev.capstan.core.serving.RevisionFailureReason;
import dev.capstan.core.serving.RevisionKey;
import dev.capstan.core.serving.RevisionObservation;
import dev.capstan.core.serving.RevisionTemplate;
import dev.capstan.local.process.PortAllocator;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serving backend over real replica processes (a stand-in for {@code capstan serve} that
 * answers the readiness probe): scale up and down, failures with their reasons, restarts after a
 * crash, re-adoption by a new backend, and nothing left running after a removal.
 */
class ProcessServingBackendTest {
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  @TempDir Path home;

  private final java.util.List<Backend> open = new java.util.ArrayList<>();

  /** Ends what the test left: the replicas' servers run on by design, and so do standbys when a server is not ended on purpose. */
  @AfterEach
  void closeAll() throws Exception {
    List<Long> waiting = open.stream().flatMap(b -> standbys(b).stream()).toList();
    for (Backend b : open) {
      b.close();
    }
    Backend last = backend(new ResourceAmounts(100_000, 1L << 40, 0), 0);
    last.replicas.endStandbys();
    awaitTrue(() -> {
      last.replicas.tendStandbys(ResourceAmounts.ZERO);
      return waiting.stream().noneMatch(p -> Files.exists(Path.of("/proc", Long.toString(p))));
    });
    last.close();
  }

  @Test
  void scalesUpToReadyReplicasThenDownAndRemovesEverything() throws Exception {
    Path model = model("good", false);
    Backend b = backend(ResourceAmounts.ZERO.plus(new ResourceAmounts(100_000, 1L << 40, 0)));
    InferenceService svc = service("iris");
    RevisionTemplate rev = template("iris", "iris-predictor-00001", model, Map.of());
    RevisionObservation ready = awaitApplying(b, svc, rev, 2, o -> o.readyReplicas() == 2);
    assertEquals(2, ready.desiredReplicas());
    for (var endpoint : ready.endpoints()) {
      assertTrue(ReadinessProbes.answersReady(endpoint.restPort()), endpoint.toString());
    }
    List<Long> pids = pids(b, rev.key());
    assertEquals(2, pids.size());

    awaitApplying(b, svc, rev, 0, o -> o.readyReplicas() == 0 && o.desiredReplicas() == 0);
    awaitGone(pids);

    b.backend.apply(svc, List.of(new RevisionAction.Remove(rev.key(), "test")));
    awaitTrue(() -> {
      b.backend.apply(svc, List.of(new RevisionAction.Remove(rev.key(), "test")));
      return b.backend.observe(svc).revision(rev.key().revision()).isEmpty();
    });
    assertFalse(Files.exists(home.resolve("models/default/iris/iris-predictor-00001")), "the model copy is deleted");
  }

  @Test
  void aModelThatCannotLoadIsReportedWithTheLogsLastLine() throws Exception {
    Backend b = backend(new ResourceAmounts(100_000, 1L << 40, 0));
    InferenceService svc = service("bad");
    RevisionTemplate rev = template("bad", "bad-predictor-00001", model("broken", true), Map.of());
    RevisionObservation failed = awaitApplying(b, svc, rev, 1, o -> o.failure().isPresent());
    assertEquals(RevisionFailureReason.ModelLoadFailed, failed.failure().get().reason());
    assertTrue(failed.failure().get().message().contains("exited with code 1: error: cannot serve"), failed.failure().get().message());

    RevisionTemplate missing = template("bad", "bad-predictor-00002", home.resolve("no-such-model"), Map.of());
    RevisionObservation notFetched = awaitApplying(b, svc, missing, 1, o -> o.failure().isPresent());
    assertEquals(RevisionFailureReason.ModelFetchFailed, notFetched.failure().get().reason());
  }

  @Test
  void theRevisionsBatchingIsWrittenIntoItsModelCopy() throws Exception {
    Backend b = backend(new ResourceAmounts(100_000, 1L << 40, 0));
    InferenceService svc = service("batched");
    Path model = model("batched", false);
    Files.writeString(model.resolve("model.yaml"), "version: \"7\"\n");
    RevisionTemplate plain = template("batched", "batched-predictor-00001", model, Map.of());
    PredictorTemplate p = plain.predictor();
    RevisionTemplate rev = new RevisionTemplate(plain.key(), new PredictorTemplate(p.format(), p.formatVersion(), p.storageUri(),
        p.runtime(), new Batching(8, Duration.ofMillis(2), 64, 0), p.resources(), 0, Duration.ofSeconds(30)),
        plain.storageUri(), Optional.empty());
    b.backend.apply(svc, List.of(new RevisionAction.Scale(rev, 0)));
    Path yaml = home.resolve("models/default/batched/batched-predictor-00001/model.yaml");
    awaitTrue(() -> Files.exists(yaml));
    var written = Manifests.yaml().readTree(yaml.toFile());
    assertEquals("7", written.path("version").asText(), "the model directory's own fields stay");
    assertEquals(8, written.path("batching").path("maxBatchSize").asInt(), written.toString());
    assertEquals(2.0, written.path("batching").path("maxLatency").asDouble(), written.toString());
    assertEquals(64, written.path("batching").path("maxQueue").asInt(), written.toString());
    assertEquals(30_000, written.path("batching").path("timeout").asLong(), written.toString());
  }

  @Test
  void aReplicaThatDoesNotFitTheHostIsNotStarted() throws Exception {
    Backend b = backend(new ResourceAmounts(1000, 1L << 40, 0));
    InferenceService svc = service("big");
    RevisionTemplate rev = template("big", "big-predictor-00001", model("big", false), Map.of("cpu", "2"));
    RevisionObservation refused = awaitApplying(b, svc, rev, 1, o -> o.failure().isPresent());
    assertEquals(RevisionFailureReason.StartFailed, refused.failure().get().reason());
    assertTrue(refused.failure().get().message().contains("cpu 2 > 1"), refused.failure().get().message());
    assertTrue(pids(b, rev.key()).isEmpty());
  }

  @Test
  void aKilledReplicaIsRestartedAndANewBackendAdoptsWhatRuns() throws Exception {
    Backend first = backend(new ResourceAmounts(100_000, 1L << 40, 0));
    InferenceService svc = service("crash");
    RevisionTemplate rev = template("crash", "crash-predictor-00001", model("crash", false), Map.of());
    awaitApplying(first, svc, rev, 1, o -> o.readyReplicas() == 1);
    long pid = pids(first, rev.key()).getFirst();
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    awaitApplying(first, svc, rev, 1, o -> o.readyReplicas() == 1 && first.replicas.observe(rev.key()).getFirst().restarts() == 1);
    assertFalse(pids(first, rev.key()).contains(pid));
    long restarted = pids(first, rev.key()).getFirst();

    first.close();
    Backend second = backend(new ResourceAmounts(100_000, 1L << 40, 0));
    RevisionObservation adopted = awaitApplying(second, svc, rev, 1, o -> o.readyReplicas() == 1);
    assertEquals(1, adopted.desiredReplicas());
    assertEquals(List.of(restarted), pids(second, rev.key()), "the running replica is adopted, not started again");
    second.backend.apply(svc, List.of(new RevisionAction.Remove(rev.key(), "test")));
    awaitGone(List.of(restarted));
  }

  @Test
  void aRevisionAtZeroTakesTheWaitingStandbyAndANewStandbyReplacesIt() throws Exception {
    Backend b = backend(new ResourceAmounts(100_000, 1L << 40, 0), 1);
    InferenceService svc = service("warm");
    RevisionTemplate rev = template("warm", "warm-predictor-00001", model("warm", false), Map.of());
    long standby = takeStandby(b, svc, rev);
    awaitApplying(b, svc, rev, 1, o -> standbys(b).size() == 1);
    long replacement = standbys(b).getFirst();
    assertTrue(replacement != standby, "a new standby waits in its place");

    remove(b, svc, rev);
    awaitTrue(() -> gone(standby));
    assertTrue(Files.exists(Path.of("/proc", Long.toString(replacement))), "the server's standby outlives the service");
  }

  @Test
  void aReplicaThatWasAStandbyReportsHowItsProcessEnded() throws Exception {
    Backend b = backend(new ResourceAmounts(100_000, 1L << 40, 0), 1);
    InferenceService svc = service("taken");
    RevisionTemplate rev = template("taken", "taken-predictor-00001", model("taken", false), Map.of());
    long standby = takeStandby(b, svc, rev);

    ProcessHandle.of(standby).ifPresent(ProcessHandle::destroyForcibly);
    RevisionObservation crashed = awaitApplying(b, svc, rev, 1, o -> o.failure().isPresent());
    assertEquals(RevisionFailureReason.CrashLoop, crashed.failure().get().reason());
    assertTrue(crashed.failure().get().message().startsWith("replica 0 was killed by signal 9"), crashed.failure().get().message());
    awaitApplying(b, svc, rev, 1, o -> o.readyReplicas() == 1 && b.replicas.observe(rev.key()).getFirst().restarts() == 1);
    remove(b, svc, rev);
    try (var left = Files.list(home.resolve("standby"))) {
      assertEquals(List.of(), left.filter(p -> !Files.exists(p.resolve("standby.json"))).toList(),
          "the standby's old directory is gone once its exit was collected");
    }
  }

  @Test
  void aNewServerAdoptsItsReplicaAndStandbyAndEndsStandbysItNoLongerWants() throws Exception {
    Backend first = backend(new ResourceAmounts(100_000, 1L << 40, 0), 1);
    InferenceService svc = service("kept");
    RevisionTemplate rev = template("kept", "kept-predictor-00001", model("kept", false), Map.of());
    long taken = awaitStandby(first, svc, rev);
    awaitApplying(first, svc, rev, 1, o -> o.readyReplicas() == 1 && standbys(first).size() == 1);
    long waiting = standbys(first).getFirst();
    first.close();

    Backend second = backend(new ResourceAmounts(100_000, 1L << 40, 0), 1);
    RevisionObservation adopted = awaitApplying(second, svc, rev, 1, o -> o.readyReplicas() == 1);
    assertEquals(taken, answeringPid(adopted.endpoints().getFirst().restPort()), "the replica runs on, adopted");
    assertEquals(List.of(waiting), standbys(second), "the standby is adopted, not started again");
    second.close();

    Backend third = backend(new ResourceAmounts(100_000, 1L << 40, 0), 0);
    awaitTrue(() -> gone(waiting));
    assertTrue(standbys(third).isEmpty());
    third.backend.apply(svc, List.of(new RevisionAction.Remove(rev.key(), "test")));
    awaitTrue(() -> gone(taken));
  }

  @Test
  void aModelTheStandbyCannotLoadIsModelLoadFailedAndTheStandbyIsNotReused() throws Exception {
    Backend b = backend(new ResourceAmounts(100_000, 1L << 40, 0), 1);
    InferenceService svc = service("refused");
    RevisionTemplate rev = template("refused", "refused-predictor-00001", model("refused", true), Map.of());
    long standby = awaitStandby(b, svc, rev);

    RevisionObservation failed = awaitApplying(b, svc, rev, 1, o -> o.failure().isPresent());
    assertEquals(RevisionFailureReason.ModelLoadFailed, failed.failure().get().reason());
    assertTrue(failed.failure().get().message().contains("not a valid ONNX model"), failed.failure().get().message());
    awaitTrue(() -> gone(standby));
    assertTrue(awaitStandby(b, svc, rev) != standby, "the refusing standby is never taken again");
  }

  /** Scales the revision to one replica, which the waiting standby becomes; returns that standby's server's PID. */
  private static long takeStandby(Backend b, InferenceService svc, RevisionTemplate rev) throws Exception {
    long standby = awaitStandby(b, svc, rev);
    RevisionObservation ready = awaitApplying(b, svc, rev, 1, o -> o.readyReplicas() == 1);
    assertEquals(standby, answeringPid(ready.endpoints().getFirst().restPort()), "the standby's process serves the revision");
    return standby;
  }

  /** Removes the revision, applying the removal until nothing of it is observed. */
  private static void remove(Backend b, InferenceService svc, RevisionTemplate rev) throws InterruptedException {
    awaitTrue(() -> {
      b.backend.apply(svc, List.of(new RevisionAction.Remove(rev.key(), "test")));
      return b.backend.observe(svc).revision(rev.key().revision()).isEmpty();
    });
  }

  /** Applies the revision's scale until one standby runs; returns its server's PID. */
  private static long awaitStandby(Backend b, InferenceService svc, RevisionTemplate rev) throws InterruptedException {
    awaitApplying(b, svc, rev, 0, o -> standbys(b).size() == 1);
    return standbys(b).getFirst();
  }

  private static boolean gone(long pid) {
    return !Files.exists(Path.of("/proc", Long.toString(pid)));
  }

  /** The PID of the stand-in server answering on the port. */
  private static long answeringPid(int port) throws Exception {
    var client = java.net.http.HttpClient.newHttpClient();
    var response = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/testing/pid"))
        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    return Long.parseLong(response.body().strip());
  }

  /** The standbys' server processes: the java processes under each running standby's wrapper. */
  private static List<Long> standbys(Backend b) {
    return b.replicas.standbyPids().stream().flatMap(w -> ProcessHandle.of(w).stream().flatMap(ProcessHandle::descendants))
        .filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
        .map(ProcessHandle::pid).toList();
  }

  private record Backend(ProcessServingBackend backend, ServingReplicas replicas) implements AutoCloseable {
    @Override
    public void close() {
      replicas.close();
    }
  }

  private Backend backend(ResourceAmounts capacity) {
    return backend(capacity, 0);
  }

  private Backend backend(ResourceAmounts capacity, int standbys) {
    ServeLaunch launch = new ServeLaunch(ProcessHandle.current().info().command().orElse("java"),
        System.getProperty("java.class.path"), TestingServeMain.class.getName(), null);
    ServingReplicas replicas = new ServingReplicas(home.resolve("runtime"), home.resolve("logs"), launch, new PortAllocator(), () -> {},
        standbys, home.resolve("models"));
    ModelCopies copies = new ModelCopies(home.resolve("models"), (key, uri, target) -> {
      Path source = Path.of(uri);
      if (!Files.isDirectory(source)) {
        throw new java.io.IOException(uri + " does not exist");
      }
      Files.createDirectories(target);
      try (var files = Files.list(source)) {
        for (Path f : files.toList()) {
          Files.copy(f, target.resolve(f.getFileName()));
        }
      }
    });
    ProcessServingBackend backend = new ProcessServingBackend(home.resolve("runtime"), copies, replicas,
        () -> capacity.minus(replicas.inUse()), Clock.systemUTC());
    Backend b = new Backend(backend, replicas);
    open.add(b);
    return b;
  }

  private Path model(String name, boolean broken) throws Exception {
    Path dir = Files.createDirectories(home.resolve("sources").resolve(name));
    Files.writeString(dir.resolve("model.onnx"), "not really a model");
    if (broken) {
      Files.writeString(dir.resolve("broken"), "");
    }
    return dir;
  }

  private static InferenceService service(String name) {
    return Manifests.json().convertValue(Map.of("apiVersion", InferenceService.API_VERSION, "kind", InferenceService.KIND,
        "metadata", Map.of("name", name, "namespace", "default")), InferenceService.class);
  }

  private static RevisionTemplate template(String service, String revision, Path model, Map<String, String> requests) {
    ResourceRequirements resources = new ResourceRequirements();
    requests.forEach((k, v) -> resources.getRequests().put(k, new Quantity(v)));
    PredictorTemplate predictor = new PredictorTemplate(PredictorFormat.ONNX, Optional.empty(),
        new StorageUri(model.toString(), StorageUri.Scheme.PATH), PredictorTemplate.RUNTIME, Batching.NONE, resources, 0,
        Duration.ofSeconds(60));
    return new RevisionTemplate(new RevisionKey("default", service, revision), predictor, model.toString(), Optional.empty());
  }

  private static RevisionObservation awaitApplying(Backend b, InferenceService svc, RevisionTemplate rev, int replicas,
      Predicate<RevisionObservation> until) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    Optional<RevisionObservation> last = Optional.empty();
    while (System.nanoTime() < deadline) {
      b.backend.apply(svc, List.of(new RevisionAction.Scale(rev, replicas)));
      last = b.backend.observe(svc).revision(rev.key().revision());
      if (last.isPresent() && until.test(last.get())) {
        return last.get();
      }
      Thread.sleep(50);
    }
    return fail("timed out; last seen " + last);
  }

  /** The replicas' server processes: the java processes under each running replica's wrapper. */
  private static List<Long> pids(Backend b, RevisionKey key) {
    return b.replicas.observe(key).stream().filter(s -> s.pid() > 0)
        .flatMap(s -> ProcessHandle.of(s.pid()).stream().flatMap(ProcessHandle::descendants))
        .filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
        .map(ProcessHandle::pid).toList();
  }

  private static void awaitGone(List<Long> pids) throws InterruptedException {
    awaitTrue(() -> pids.stream().noneMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)));
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(50);
    }
    fail("timed out");
  }
}
