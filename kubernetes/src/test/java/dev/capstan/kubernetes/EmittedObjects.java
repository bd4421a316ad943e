package dev.capstan.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks on everything the operator sent in a test run: each object it created passes the API
 * server's rules and, for pods, PSS restricted; each request it made is granted by deploy/rbac.yaml.
 */
public final class EmittedObjects {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private EmittedObjects() {}

  public static List<HasMetadata> created(List<RecordingDispatcher.Request> requests) {
    List<HasMetadata> objects = new ArrayList<>();
    for (RecordingDispatcher.Request r : requests) {
      if (!"POST".equals(r.method()) || r.path().contains("selfsubjectrulesreviews")) {
        continue;
      }
      objects.add((HasMetadata) SERIALIZATION.unmarshal(r.body()));
    }
    return objects;
  }

  public static void verify(TestingCluster cluster) {
    verify(cluster, List.of(RbacRules.committed()));
  }

  /** As {@link #verify(TestingCluster)}, against the grants of all of {@code rbac} together. */
  public static void verify(TestingCluster cluster, List<java.nio.file.Path> rbac) {
    List<RecordingDispatcher.Request> requests = cluster.operatorRequests();
    List<HasMetadata> objects = created(requests);
    assertTrue(objects.stream().anyMatch(o -> o instanceof Pod), "the run created pods");
    List<String> violations = new ArrayList<>();
    for (HasMetadata o : objects) {
      violations.addAll(ApiServerRules.violations(o));
      if (o instanceof Pod pod) {
        RestrictedPodSecurity.violations(pod.getSpec()).forEach(v -> violations.add("pod " + pod.getMetadata().getName() + ": " + v));
      }
    }
    assertEquals(List.of(), violations);
    Set<String> missing = new TreeSet<>(RbacRules.needed(requests));
    rbac.forEach(file -> missing.removeAll(RbacRules.granted(file)));
    assertEquals(Set.of(), missing, "requests the operator made that " + rbac + " do not grant");
  }

  /** Least privilege: every grant in deploy/rbac.yaml was needed by some request of the run. */
  public static void verifyNoUnusedGrant(TestingCluster cluster) {
    Set<String> unused = new TreeSet<>(RbacRules.granted(RbacRules.committed()));
    unused.removeAll(RbacRules.needed(cluster.operatorRequests()));
    unused.removeAll(RbacRules.CHECKED_AT_STARTUP);
    unused.removeAll(RbacRules.SERVING);
    unused.removeAll(RbacRules.REGISTRY);
    unused.removeAll(RbacRules.QUEUES);
    assertEquals(Set.of(), unused, "grants in deploy/rbac.yaml that no request of the operator needed");
  }
}
