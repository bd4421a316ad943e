package dev.capstan.kubernetes.gateway;

import static dev.capstan.kubernetes.TestingCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.capstan.api.serving.InferenceService;
import dev.capstan.api.serving.InferenceServiceStatus;
import dev.capstan.api.serving.RevisionSpec;
import dev.capstan.api.serving.RevisionStatus;
import dev.capstan.core.serving.ReplicaEndpoint;
import dev.capstan.core.serving.RevisionRoute;
import dev.capstan.core.serving.RouteTable;
import dev.capstan.core.serving.ServiceKey;
import dev.capstan.kubernetes.RbacRules;
import dev.capstan.kubernetes.TestingCluster;
import dev.capstan.kubernetes.serving.RevisionLabels;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster gateway's watch against a mock API server: the route table it builds from
 * InferenceServices' recorded traffic and the EndpointSlices of their revisions, and the requests
 * it makes, all granted by deploy/gateway.yaml, which grants nothing more.
 */
class ClusterGatewayTest {
  private static final String AGENT = "capstan-gateway-under-test";
  static TestingCluster cluster;

  @BeforeAll
  static void start() {
    cluster = new TestingCluster();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void canaryWeightsAndReadyReplicasFollowStatusAndEndpointSlices() {
    try (KubernetesClient gateway = cluster.clientAs(AGENT)) {
      KubernetesClient client = cluster.client();
      InferenceService isvc = client.resource(service("ns", "m")).create();
      record(client, isvc, Map.of("m-predictor-00001", 80, "m-predictor-00002", 20, "m-predictor-00003", 0));
      client.resource(slice("ns", "m-predictor-00001", "a", List.of(ready("p1", "10.0.0.1"), ready("p2", "10.0.0.2"),
          notReady("p3", "10.0.0.3")))).create();
      client.resource(slice("ns", "m-predictor-00003", "a", List.of(ready("p9", "10.0.0.9")))).create();

      AtomicReference<RouteTable> table = new AtomicReference<>(RouteTable.empty());
      try (RouteWatch watch = RouteWatch.start(gateway, Set.of(), table::set)) {
        await(watch::synced, () -> "the gateway's informers to sync");
        await(() -> revisions(table.get()).size() == 2 && revision(table.get(), "m-predictor-00001").ready().size() == 2,
            () -> "two routed revisions in " + table.get().all());
        RevisionRoute stable = revision(table.get(), "m-predictor-00001");
        RevisionRoute canary = revision(table.get(), "m-predictor-00002");
        assertEquals(80, stable.percent());
        assertEquals(List.of(new ReplicaEndpoint("p1", "10.0.0.1", 8080, 8081), new ReplicaEndpoint("p2", "10.0.0.2", 8080, 8081)),
            stable.ready());
        assertEquals(4, stable.containerConcurrency());
        assertEquals(Duration.ofSeconds(30), stable.timeout(), "the revision's request timeout, as a local route has it");
        assertEquals(20, canary.percent());
        assertEquals(true, canary.atZero(), "a revision with traffic and no ready replica waits in the activator");

        // The canary's first replica becomes ready.
        client.resource(slice("ns", "m-predictor-00002", "a", List.of(ready("q1", "10.0.1.1")))).create();
        await(() -> !revision(table.get(), "m-predictor-00002").atZero(), () -> "the canary's replica routed");

        // Promotion: all traffic to the new revision.
        record(client, client.resources(InferenceService.class).inNamespace("ns").withName("m").get(),
            Map.of("m-predictor-00001", 0, "m-predictor-00002", 100));
        await(() -> revisions(table.get()).size() == 1 && revision(table.get(), "m-predictor-00002").percent() == 100,
            () -> "promoted: " + table.get().all());

        // Deleted: no route.
        client.resources(InferenceService.class).inNamespace("ns").withName("m").delete();
        await(() -> table.get().route(new ServiceKey("ns", "m")).isEmpty(), () -> "no route after delete: " + table.get().all());
      }
      assertGatewayRbacCoversExactly(cluster);
    }
  }

  @Test
  void aGatewayWatchingSomeNamespacesRoutesOnlyThose() {
    try (KubernetesClient gateway = cluster.clientAs(AGENT)) {
      KubernetesClient client = cluster.client();
      for (String ns : List.of("team-a", "team-b")) {
        record(client, client.resource(service(ns, "m")).create(), Map.of("m-predictor-00001", 100));
      }
      AtomicReference<RouteTable> table = new AtomicReference<>(RouteTable.empty());
      try (RouteWatch watch = RouteWatch.start(gateway, Set.of("team-a"), table::set)) {
        await(() -> table.get().all().size() == 1, () -> "one routed service: " + table.get().all());
        assertEquals(Optional.empty(), table.get().route(new ServiceKey("team-b", "m")));
        assertEquals(true, table.get().route(new ServiceKey("team-a", "m")).isPresent());
      }
    }
  }

  private static void assertGatewayRbacCoversExactly(TestingCluster cluster) {
    Path file = RbacRules.committed().getParent().resolve("gateway.yaml");
    Set<String> needed = RbacRules.needed(cluster.requestsBy(AGENT));
    Set<String> granted = RbacRules.granted(file);
    Set<String> missing = new TreeSet<>(needed);
    missing.removeAll(granted);
    assertEquals(Set.of(), missing, "requests the gateway made that " + file + " does not grant");
    Set<String> unused = new TreeSet<>(granted);
    unused.removeAll(needed);
    assertEquals(Set.of(), unused, "grants in " + file + " that no request of the gateway needed");
  }

  /** The routed revisions of ns/m (the other test's services may be in the table too). */
  private static List<RevisionRoute> revisions(RouteTable table) {
    return table.route(new ServiceKey("ns", "m")).map(r -> r.revisions()).orElse(List.of());
  }

  private static RevisionRoute revision(RouteTable table, String name) {
    return revisions(table).stream().filter(r -> r.key().revision().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError(name + " is not routed: " + table.all()));
  }

  static InferenceService service(String ns, String name) {
    InferenceService isvc = new InferenceService();
    isvc.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).build());
    isvc.setSpec(dev.capstan.api.codec.Manifests.convert(dev.capstan.api.codec.Manifests.json().valueToTree(Map.of(
        "predictor", Map.of("model", Map.of("modelFormat", Map.of("name", "onnx"), "storageUri", "https://models.example/m.onnx")))),
        dev.capstan.api.serving.InferenceServiceSpec.class));
    return isvc;
  }

  /** Writes the traffic split a controller would record: each revision's percent, containerConcurrency 4, timeout 30 s. */
  private static void record(KubernetesClient client, InferenceService isvc, Map<String, Integer> traffic) {
    InferenceServiceStatus status = new InferenceServiceStatus();
    traffic.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      RevisionStatus r = new RevisionStatus();
      r.setName(e.getKey());
      r.setTrafficPercent(e.getValue());
      RevisionSpec predictor = new RevisionSpec();
      predictor.setContainerConcurrency(4);
      predictor.setTimeout(30);
      r.setPredictor(predictor);
      status.getRevisions().add(r);
    });
    isvc.setStatus(status);
    client.resource(isvc).updateStatus();
  }

  private static EndpointSlice slice(String ns, String revision, String suffix, List<io.fabric8.kubernetes.api.model.discovery.v1.Endpoint> endpoints) {
    return new EndpointSliceBuilder()
        .withNewMetadata().withNamespace(ns).withName(revision + "-" + suffix)
        .withLabels(Map.of(RevisionLabels.SLICE_SERVICE, revision, RevisionLabels.REVISION, revision,
            RevisionLabels.SERVICE, revision.substring(0, revision.indexOf("-predictor-"))))
        .endMetadata()
        .withAddressType("IPv4")
        .addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort()
        .addNewPort().withName("grpc").withPort(8081).withProtocol("TCP").endPort()
        .withEndpoints(endpoints)
        .build();
  }

  private static io.fabric8.kubernetes.api.model.discovery.v1.Endpoint ready(String pod, String ip) {
    return endpoint(pod, ip, true);
  }

  private static io.fabric8.kubernetes.api.model.discovery.v1.Endpoint notReady(String pod, String ip) {
    return endpoint(pod, ip, false);
  }

  private static io.fabric8.kubernetes.api.model.discovery.v1.Endpoint endpoint(String pod, String ip, boolean ready) {
    return new io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder().withAddresses(ip)
        .withNewConditions().withReady(ready).withServing(ready).withTerminating(false).endConditions()
        .withNewTargetRef().withKind("Pod").withName(pod).endTargetRef().build();
  }
}
