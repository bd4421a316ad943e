package dev.capstan.kubernetes.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.kubernetes.Jobs;
import dev.capstan.kubernetes.TestingCluster;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code capstan … --kubeconfig FILE} does on a cluster: apply, get, list, events, logs, delete. */
class ClusterTrainingJobsTest {
  @TempDir
  Path dir;

  @Test
  void applyGetListEventsLogsAndDeleteThroughAKubeconfig() throws Exception {
    try (TestingCluster cluster = new TestingCluster()) {
      Path kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(kubeconfig, """
          apiVersion: v1
          kind: Config
          clusters:
          - name: mock
            cluster: {server: "%s", insecure-skip-tls-verify: true}
          users:
          - name: me
            user: {token: secret}
          contexts:
          - name: mock
            context: {cluster: mock, user: me, namespace: default}
          current-context: mock
          """.formatted(cluster.client().getConfiguration().getMasterUrl()));
      try (KubernetesClient client = ClusterTrainingJobs.connect(kubeconfig, "mock")) {
        ClusterTrainingJobs jobs = new ClusterTrainingJobs(client);
        TrainingJob job = (TrainingJob) Manifests.toResource(Manifests.parseDocuments(Jobs.pytorch("ml", "mnist", 1), "t").get(0));
        assertTrue(jobs.apply(job).created());
        TrainingJob again = (TrainingJob) Manifests.toResource(Manifests.parseDocuments(Jobs.pytorch("ml", "mnist", 2), "t").get(0));
        assertFalse(jobs.apply(again).created());
        assertEquals(2, jobs.get("ml", "mnist").orElseThrow().getSpec().getReplicas().get("Worker").getCount());
        assertEquals(1, jobs.list(null).size());

        cluster.client().v1().events().inNamespace("ml").resource(new EventBuilder().withNewMetadata().withName("mnist.1").endMetadata()
            .withNewInvolvedObject().withKind("TrainingJob").withName("mnist").withNamespace("ml").endInvolvedObject()
            .withType("Normal").withReason("Running").withMessage("all 3 replicas are running")
            .withLastTimestamp("2025-01-01T00:00:00Z").build()).create();
        assertEquals("all 3 replicas are running", jobs.events("ml", "mnist").get(0).getMessage());

        cluster.client().pods().inNamespace("ml").resource(new PodBuilder().withNewMetadata().withName("mnist-master-0")
            .addToLabels("training.kubeflow.org/job-name", "mnist").addToLabels("training.kubeflow.org/job-role", "master")
            .endMetadata().withNewSpec().addNewContainer().withName("pytorch").withImage("x").endContainer().endSpec().build()).create();
        jobs.logs("ml", "mnist", null, false, false).close();

        assertTrue(jobs.delete("ml", "mnist"));
        assertFalse(jobs.delete("ml", "mnist"));
        assertTrue(jobs.get("ml", "mnist").isEmpty());
      }
    }
  }
}
