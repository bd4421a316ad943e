package dev.capstan.kubernetes.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.kubernetes.Jobs;
import dev.capstan.kubernetes.RestrictedPodSecurity;
import dev.capstan.kubernetes.TestingCluster;
import dev.capstan.kubernetes.operator.OperatorSettings;
import dev.capstan.kubernetes.security.NamespacePodSecurity;
import dev.capstan.kubernetes.security.PodSecurityLevel;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pod security level comes from the operator's setting and, where a namespace has the
 * {@code capstan.dev/pod-security} label, from the namespace: the operator reads it before it
 * creates a pod there.
 */
class PodSecurityLevelsTest {
  static TestingCluster cluster;

  @BeforeAll
  static void start() {
    cluster = new TestingCluster().node("node-a", "8", "32Gi");
    cluster.startOperator();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void aNamespaceLabelledBaselineGetsOnlyTheSeccompProfileAndAnUnlabelledOneRestricted() {
    label("root-images", "baseline");
    cluster.apply(Jobs.pytorch("root-images", "r", 1));
    cluster.apply(Jobs.pytorch("plain", "p", 1));
    Pod baseline = cluster.awaitPods("root-images", 2).get(0);
    Pod restricted = cluster.awaitPods("plain", 2).get(0);

    assertEquals(null, baseline.getSpec().getSecurityContext().getRunAsNonRoot());
    assertEquals("RuntimeDefault", baseline.getSpec().getSecurityContext().getSeccompProfile().getType());
    assertEquals(null, baseline.getSpec().getContainers().get(0).getSecurityContext());

    assertEquals(true, restricted.getSpec().getSecurityContext().getRunAsNonRoot());
    assertEquals(null, restricted.getSpec().getSecurityContext().getRunAsUser());
    assertEquals(null, restricted.getSpec().getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem());
    assertEquals(List.of(), RestrictedPodSecurity.violations(restricted.getSpec()));
  }

  @Test
  void aNamespaceLabelledNoneGetsThePodAsItsTemplateWritesIt() {
    label("as-written", "none");
    cluster.apply(Jobs.pytorch("as-written", "n", 1));
    Pod pod = cluster.awaitPods("as-written", 2).get(0);
    assertTrue(pod.getSpec().getSecurityContext() == null || pod.getSpec().getSecurityContext().getSeccompProfile() == null);
    assertEquals(null, pod.getSpec().getContainers().get(0).getSecurityContext());
  }

  /** The pass fails with the message (logged, retried with backoff) and creates no pod there. */
  @Test
  void anUnknownLabelValueIsNamedAndNoPodIsCreatedUnderAGuessedLevel() {
    label("typo", "privileged");
    var e = assertThrows(IllegalArgumentException.class,
        () -> new NamespacePodSecurity(cluster.client(), PodSecurityLevel.RESTRICTED).apply("typo"));
    assertEquals("namespace typo label capstan.dev/pod-security: unknown pod security level 'privileged'"
        + " (expected restricted, baseline or none)", e.getMessage());
    cluster.apply(Jobs.pytorch("typo", "t", 1));
    cluster.apply(Jobs.pytorch("after-typo", "a", 1));
    cluster.awaitPods("after-typo", 2);
    assertEquals(List.of(), cluster.pods("typo"));
    assertEquals(PodSecurityLevel.BASELINE,
        new NamespacePodSecurity(cluster.client(), PodSecurityLevel.BASELINE).apply("no-such-namespace"));
  }

  @Test
  void theOperatorLevelIsReadFromItsEnvironmentAndAWrongValueIsRefusedByName() {
    assertEquals(PodSecurityLevel.RESTRICTED, OperatorSettings.fromEnvironment(Map.of()).podSecurity());
    assertEquals(PodSecurityLevel.BASELINE,
        OperatorSettings.fromEnvironment(Map.of("CAPSTAN_POD_SECURITY", "baseline")).podSecurity());
    var e = assertThrows(IllegalArgumentException.class,
        () -> OperatorSettings.fromEnvironment(Map.of("CAPSTAN_POD_SECURITY", "strict")));
    assertTrue(e.getMessage().startsWith("CAPSTAN_POD_SECURITY: unknown pod security level 'strict'"), e.getMessage());
  }

  private static void label(String namespace, String level) {
    cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
        .withLabels(Map.of(PodSecurityLevel.NAMESPACE_LABEL, level)).endMetadata().build()).create();
  }
}
