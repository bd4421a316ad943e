package dev.capstan.kubernetes.serving;

import static dev.capstan.kubernetes.TestingCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.serving.InferenceService;
import dev.capstan.api.serving.RevisionStatus;
import dev.capstan.core.ports.Clock;
import dev.capstan.core.serving.GatewayFeedback;
import dev.capstan.core.serving.RevisionKey;
import dev.capstan.core.serving.RevisionLoad;
import dev.capstan.core.serving.RevisionRoute;
import dev.capstan.core.serving.RouteTable;
import dev.capstan.core.serving.ServiceKey;
import dev.capstan.kubernetes.ApiServerRules;
import dev.capstan.kubernetes.EmittedObjects;
import dev.capstan.kubernetes.RbacRules;
import dev.capstan.kubernetes.RestrictedPodSecurity;
import dev.capstan.kubernetes.TestingCluster;
import dev.capstan.kubernetes.TestingDeployments;
import dev.capstan.kubernetes.gateway.LoadBoard;
import dev.capstan.kubernetes.gateway.LoadEndpoint;
import dev.capstan.kubernetes.gateway.RouteWatch;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.Controller;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The operator running InferenceServices against a mock API server in CRUD mode: Deployments,
 * Services and pods played by {@link TestingDeployments}, the gateway's load figures through a real
 * load endpoint and through the controller's feedback, time from a clock the test moves.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InferenceServiceOperatorTest {
  private static final String GATEWAY_AGENT = "capstan-gateway-under-test";
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final TestingClock clock = new TestingClock(T0);
  static TestingCluster cluster;
  static LoadBoard gatewayBoard;
  static LoadEndpoint gatewayEndpoint;
  static GatewayFeedback feedback;
  static final List<AutoCloseable> closing = new ArrayList<>();

  /** A clock the test sets; the operator's controllers read it. */
  static final class TestingClock implements Clock {
    private volatile Instant now;

    TestingClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant now() {
      return now;
    }

    void set(Instant at) {
      now = at;
    }
  }

  @BeforeAll
  static void start() throws Exception {
    cluster = new TestingCluster();
    gatewayBoard = new LoadBoard();
    gatewayEndpoint = LoadEndpoint.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), gatewayBoard, () -> true);
    gatewayPod();
    var running = cluster.launch(false, s -> s.withServing(s.serving().withGateway(
        "http://capstan-gateway.capstan-system.svc", TestingCluster.OPERATOR_NAMESPACE, gatewayEndpoint.port())), clock);
    Controller<?> controller = (Controller<?>) running.operator().getRegisteredController(InferenceServiceReconciler.NAME)
        .orElseThrow();
    feedback = ((InferenceServiceReconciler) controller.getReconciler()).feedback();
  }

  /** A ready pod of the gateway's Deployment, listening on this machine: the operator polls its load endpoint. */
  private static void gatewayPod() {
    var pod = cluster.client().resource(new PodBuilder().withNewMetadata().withNamespace(TestingCluster.OPERATOR_NAMESPACE)
        .withName("capstan-gateway-0").addToLabels("app.kubernetes.io/name", "capstan-gateway").endMetadata()
        .withNewSpec().addNewContainer().withName("gateway").withImage("capstan-replica:0.1.0").endContainer().endSpec()
        .build()).create();
    cluster.client().pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).editStatus(p -> {
      p.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running").withPodIP("127.0.0.1")
          .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True").build()).build());
      return p;
    });
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    gatewayEndpoint.close();
    cluster.close();
  }

  @Test
  @Order(1)
  void eachRevisionIsADeploymentAndAServiceOwnedExactlyByItsService() {
    String ns = "objects";
    deployments(ns);
    InferenceService isvc = apply(ns, "m", "https://models.example/m.onnx", "minReplicas: 1, resources: {requests: {cpu: 500m}, limits: {memory: 1Gi}}");
    awaitState(ns, "m", "Ready");

    Deployment d = cluster.client().apps().deployments().inNamespace(ns).withName("m-predictor-00001").get();
    Service s = cluster.client().services().inNamespace(ns).withName("m-predictor-00001").get();
    OwnerReference owner = new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder().withApiVersion("capstan.dev/v1alpha1")
        .withKind("InferenceService").withName("m").withUid(isvc.getMetadata().getUid()).withController(true)
        .withBlockOwnerDeletion(true).build();
    assertEquals(List.of(owner), d.getMetadata().getOwnerReferences());
    assertEquals(List.of(owner), s.getMetadata().getOwnerReferences());
    assertEquals("m-predictor-00001", d.getSpec().getTemplate().getMetadata().getLabels().get(RevisionLabels.REVISION));
    assertEquals(d.getSpec().getSelector().getMatchLabels(), s.getSpec().getSelector());

    var pod = d.getSpec().getTemplate().getSpec();
    Container fetch = pod.getInitContainers().get(0);
    assertEquals(List.of("capstan"), fetch.getCommand());
    assertEquals(List.of("fetch", "https://models.example/m.onnx", "/mnt/models"), fetch.getArgs());
    Container server = pod.getContainers().get(0);
    assertEquals("capstan-replica:0.1.0", server.getImage());
    assertEquals(List.of("serve", "--model-dir", "/mnt/models", "--name", "m", "--port", "8080", "--grpc-port", "8081"), server.getArgs());
    assertEquals("/v2/health/ready", server.getReadinessProbe().getHttpGet().getPath());
    assertEquals("500m", server.getResources().getRequests().get("cpu").toString());
    assertEquals(true, server.getVolumeMounts().get(0).getReadOnly());
    assertEquals(List.of(), RestrictedPodSecurity.violations(pod));

    RevisionStatus revision = revision(ns, "m", "m-predictor-00001");
    assertEquals(1, revision.getReadyReplicas());
    assertEquals(100, revision.getTrafficPercent());
    assertEquals("http://capstan-gateway.capstan-system.svc/serving/objects/m", service(ns, "m").getStatus().getUrl());
  }

  @Test
  @Order(2)
  void replicasFollowAScriptedLoadScaleToZeroAndComeBackOnARequest() {
    String ns = "load";
    deployments(ns);
    apply(ns, "m", "https://models.example/m.onnx", "minReplicas: 0, maxReplicas: 8, scaleMetric: concurrency, scaleTarget: 1,"
        + " autoscaling: {stableWindow: 10s, scaleToZeroGracePeriod: 5s, targetUtilizationPercentage: 100}");
    awaitState(ns, "m", "Ready");
    RevisionKey key = new RevisionKey(ns, "m", "m-predictor-00001");
    Instant start = clock.now();

    // 10 seconds at 4 requests in flight: 4 replicas (the panic window sees it at once).
    load(key, start, 1, 10, 4);
    clock.set(start.plusSeconds(10));
    awaitReplicas(ns, "m-predictor-00001", 4);
    await(() -> revision(ns, "m", "m-predictor-00001").getReadyReplicas() == 4, () -> "4 ready replicas in status");

    // Silence for 20 seconds: past the stable window and the grace period, down to zero.
    load(key, start, 11, 30, 0);
    clock.set(start.plusSeconds(30));
    awaitReplicas(ns, "m-predictor-00001", 0);
    await(() -> "Idle".equals(state(ns, "m")), () -> "the service to be Idle, it is " + state(ns, "m"));

    // A request waits in a gateway pod's activator: the leader reads it through the load endpoint at once.
    gatewayBoard.scaleFromZero(key);
    awaitReplicas(ns, "m-predictor-00001", 1);
    await(() -> "Ready".equals(state(ns, "m")), () -> "Ready again, it is " + state(ns, "m"));
  }

  @Test
  @Order(3)
  void aCanarySplitsTheGatewaysRoutesThenPromotesAndRollsBack() {
    String ns = "canary";
    deployments(ns);
    apply(ns, "m", "https://models.example/v1.onnx", "minReplicas: 1");
    awaitState(ns, "m", "Ready");
    AtomicReference<RouteTable> table = new AtomicReference<>(RouteTable.empty());
    KubernetesClient gatewayClient = cluster.clientAs(GATEWAY_AGENT);
    closing.add(gatewayClient);
    closing.add(RouteWatch.start(gatewayClient, Set.of(ns), table::set));

    apply(ns, "m", "https://models.example/v2.onnx", "minReplicas: 1, canaryTrafficPercent: 20");
    await(() -> percents(table.get(), ns).equals(List.of("m-predictor-00001=80 ready 1", "m-predictor-00002=20 ready 1")),
        () -> "an 80/20 split with a ready replica each, routes are " + percents(table.get(), ns));

    apply(ns, "m", "https://models.example/v2.onnx", "minReplicas: 1, canaryTrafficPercent: 0");
    await(() -> percents(table.get(), ns).equals(List.of("m-predictor-00001=100 ready 1")),
        () -> "rolled back to the first revision, routes are " + percents(table.get(), ns));

    apply(ns, "m", "https://models.example/v2.onnx", "minReplicas: 1");
    await(() -> percents(table.get(), ns).equals(List.of("m-predictor-00002=100 ready 1")),
        () -> "promoted, routes are " + percents(table.get(), ns));
  }

  @Test
  @Order(4)
  void aRevisionThatCannotFetchItsModelLeavesTrafficWhereItWasAndSaysWhy() {
    String ns = "broken";
    TestingDeployments deployments = deployments(ns);
    apply(ns, "m", "https://models.example/good.onnx", "minReplicas: 1");
    awaitState(ns, "m", "Ready");
    deployments.failFetch("m-predictor-00002");
    apply(ns, "m", "https://models.example/broken.onnx", "minReplicas: 1");
    await(() -> revision(ns, "m", "m-predictor-00002").getLastFailure() != null, () -> "the failure in status");
    RevisionStatus broken = revision(ns, "m", "m-predictor-00002");
    assertEquals("ModelFetchFailed", broken.getLastFailure().getReason());
    assertTrue(broken.getLastFailure().getMessage().contains("HTTP 404"), broken.getLastFailure().getMessage());
    assertEquals(100, revision(ns, "m", "m-predictor-00001").getTrafficPercent());
    await(() -> "Degraded".equals(state(ns, "m")), () -> "Degraded, it is " + state(ns, "m"));

    apply(ns, "m", "https://models.example/fixed.onnx", "minReplicas: 1");
    await(() -> revision(ns, "m", "m-predictor-00003").getTrafficPercent() != null
        && revision(ns, "m", "m-predictor-00003").getTrafficPercent() == 100, () -> "the fixed revision rolled out");
  }

  @Test
  @Order(5)
  void deletingAServiceRemovesEveryRevision() {
    String ns = "deleted";
    deployments(ns);
    apply(ns, "m", "https://models.example/m.onnx", "minReplicas: 1");
    awaitState(ns, "m", "Ready");
    cluster.client().resources(InferenceService.class).inNamespace(ns).withName("m").delete();
    await(() -> service(ns, "m") == null, () -> "the service to be gone");
    await(() -> cluster.client().apps().deployments().inNamespace(ns).list().getItems().isEmpty()
        && cluster.services(ns).isEmpty(), () -> "no Deployment or Service left in " + ns);
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void everythingTheOperatorEmittedPassesApiRulesPodSecurityAndRbac() {
    List<String> violations = new ArrayList<>();
    for (HasMetadata o : EmittedObjects.created(cluster.operatorRequests())) {
      violations.addAll(ApiServerRules.violations(o));
      if (o instanceof Deployment d) {
        RestrictedPodSecurity.violations(d.getSpec().getTemplate().getSpec())
            .forEach(v -> violations.add("deployment " + d.getMetadata().getName() + ": " + v));
      }
    }
    assertEquals(List.of(), violations);
    Set<String> needed = RbacRules.needed(cluster.operatorRequests());
    Set<String> missing = new TreeSet<>(needed);
    missing.removeAll(RbacRules.granted(RbacRules.committed()));
    assertEquals(Set.of(), missing, "requests the operator made that deploy/rbac.yaml does not grant");
    Set<String> unused = new TreeSet<>(RbacRules.SERVING);
    unused.removeAll(needed);
    assertEquals(Set.of(), unused, "serving grants no request of the operator needed");
  }

  private static TestingDeployments deployments(String ns) {
    TestingDeployments deployments = new TestingDeployments(cluster.client(), ns);
    closing.add(deployments);
    return deployments;
  }

  /** Applies (creates or replaces the spec of) an InferenceService with these predictor fields besides the model. */
  private static InferenceService apply(String ns, String name, String storageUri, String predictor) {
    String yaml = "apiVersion: capstan.dev/v1alpha1\nkind: InferenceService\nmetadata: {name: " + name + ", namespace: " + ns + "}\n"
        + "spec:\n  predictor: {model: {modelFormat: {name: onnx}, storageUri: '" + storageUri + "'}, " + predictor + "}\n";
    InferenceService desired = (InferenceService) Manifests.toResource(Manifests.parseDocuments(yaml, "test").get(0));
    InferenceService current = service(ns, name);
    if (current == null) {
      return cluster.client().resource(desired).create();
    }
    return cluster.client().resources(InferenceService.class).inNamespace(ns).withName(name).edit(s -> {
      s.setSpec(desired.getSpec());
      return s;
    });
  }

  private static void load(RevisionKey key, Instant start, int from, int to, double concurrency) {
    List<RevisionLoad> loads = IntStream.rangeClosed(from, to)
        .mapToObj(t -> new RevisionLoad(key, start.plusSeconds(t), concurrency, concurrency * 10, 0)).toList();
    loads.forEach(l -> feedback.reportLoad(List.of(l)));
  }

  private static void awaitReplicas(String ns, String deployment, int replicas) {
    await(() -> replicas(ns, deployment) == replicas, () -> deployment + " to run " + replicas + " replicas, it runs "
        + replicas(ns, deployment));
  }

  private static int replicas(String ns, String deployment) {
    Deployment d = cluster.client().apps().deployments().inNamespace(ns).withName(deployment).get();
    return d == null ? -1 : d.getSpec().getReplicas();
  }

  private static List<String> percents(RouteTable table, String ns) {
    return table.route(new ServiceKey(ns, "m")).map(r -> r.revisions().stream()
        .sorted(java.util.Comparator.comparing((RevisionRoute x) -> x.key().revision()))
        .map(x -> x.key().revision() + "=" + x.percent() + " ready " + x.ready().size()).toList()).orElse(List.of());
  }

  static InferenceService service(String ns, String name) {
    return cluster.client().resources(InferenceService.class).inNamespace(ns).withName(name).get();
  }

  private static String state(String ns, String name) {
    InferenceService s = service(ns, name);
    return s == null || s.getStatus() == null ? null : s.getStatus().getState();
  }

  private static void awaitState(String ns, String name, String state) {
    await(() -> state.equals(state(ns, name)), () -> "InferenceService " + ns + "/" + name + " to be " + state + ", it is "
        + state(ns, name) + (service(ns, name) == null || service(ns, name).getStatus() == null ? ""
        : ": " + service(ns, name).getStatus().getMessage()));
  }

  private static RevisionStatus revision(String ns, String name, String revision) {
    InferenceService s = service(ns, name);
    return s == null || s.getStatus() == null ? new RevisionStatus() : s.getStatus().getRevisions().stream()
        .filter(r -> revision.equals(r.getName())).findFirst().orElse(new RevisionStatus());
  }
}
