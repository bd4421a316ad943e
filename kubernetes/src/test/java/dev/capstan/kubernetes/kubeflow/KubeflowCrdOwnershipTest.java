package dev.capstan.kubernetes.kubeflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.api.kubeflow.KubeflowKind;
import dev.capstan.kubernetes.TestingCluster;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.javaoperatorsdk.operator.RegisteredController;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * With Kubeflow's own CRDs served (no Capstan label), the operator leaves those kinds to Kubeflow's
 * training operator even with CAPSTAN_KUBEFLOW_JOBS on: no reconciler is registered for them.
 */
class KubeflowCrdOwnershipTest {
  @Test
  void foreignKubeflowCrdsAreNotReconciledAndCapstansAre() {
    try (TestingCluster cluster = new TestingCluster()) {
      CustomResourceDefinition kubeflows = KubeflowCrds.of(KubeflowKind.PYTORCH_JOB);
      kubeflows.getMetadata().setLabels(null);
      cluster.client().resource(kubeflows).create();
      cluster.client().resource(KubeflowCrds.of(KubeflowKind.TF_JOB)).create();

      KubeflowCrdOwnership ownership = KubeflowCrdOwnership.read(cluster.client());
      assertEquals(KubeflowCrdOwnership.Owner.OTHER, ownership.owners().get(KubeflowKind.PYTORCH_JOB));
      assertEquals(KubeflowCrdOwnership.Owner.CAPSTAN, ownership.owners().get(KubeflowKind.TF_JOB));
      assertEquals(KubeflowCrdOwnership.Owner.NONE, ownership.owners().get(KubeflowKind.MX_JOB));
      assertEquals(List.of(KubeflowKind.TF_JOB), ownership.reconciled());

      for (KubeflowKind kind : List.of(KubeflowKind.XGBOOST_JOB, KubeflowKind.JAX_JOB, KubeflowKind.PADDLE_JOB, KubeflowKind.MX_JOB)) {
        cluster.client().resource(KubeflowCrds.of(kind)).create();
      }
      var operator = cluster.launch(false, s -> s.withKubeflowJobs(true)).operator();
      Set<String> reconciled = operator.getRegisteredControllers().stream()
          .map(c -> ((RegisteredController<?>) c).getConfiguration().getResourceTypeName()).collect(Collectors.toSet());
      assertEquals(Set.of("trainingjobs.capstan.dev", "inferenceservices.capstan.dev", "tfjobs.kubeflow.org",
          "xgboostjobs.kubeflow.org", "jaxjobs.kubeflow.org", "paddlejobs.kubeflow.org", "mxjobs.kubeflow.org"), reconciled);
    }
  }

  /** With the setting on and a kind served by no CRD, the operator does not start and says which. */
  @Test
  void aKindWithNoCrdStopsTheStartNamingIt() {
    try (TestingCluster cluster = new TestingCluster()) {
      KubeflowCrds.all().stream().filter(crd -> !crd.getMetadata().getName().startsWith("mxjobs."))
          .forEach(crd -> cluster.client().resource(crd).create());
      var error = assertThrows(IllegalStateException.class, () -> cluster.launch(false, s -> s.withKubeflowJobs(true)));
      assertTrue(error.getMessage().contains("[mxjobs.kubeflow.org]"), error.getMessage());
    }
  }

  @Test
  void withTheSettingOffNoKubeflowKindIsReconciledEvenWithCapstansCrds() {
    try (TestingCluster cluster = new TestingCluster()) {
      KubeflowCrds.all().forEach(crd -> cluster.client().resource(crd).create());
      var operator = cluster.launch(false, s -> s).operator();
      assertEquals(2, operator.getRegisteredControllersNumber());
      assertTrue(operator.getRegisteredController("trainingjob").isPresent());
      assertTrue(operator.getRegisteredController("inferenceservice").isPresent());
    }
  }
}
