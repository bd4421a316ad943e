package dev.capstan.local.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.api.training.TrainingJob;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control loop's view of the store: one object that does not read as a job cannot hide the others. */
class StoredTrainingJobsTest {
  @TempDir Path dir;

  private static ObjectNode object(String name) {
    ObjectNode doc = Manifests.json().createObjectNode();
    doc.put("apiVersion", "capstan.dev/v1alpha1").put("kind", "TrainingJob");
    doc.putObject("metadata").put("name", name).put("namespace", "default");
    return doc;
  }

  @Test
  void anObjectThatDoesNotReadAsAJobIsLeftOut() {
    FileResourceStore store = new FileResourceStore(dir);
    store.apply(TrainingJob.PLURAL, object("a"));
    store.apply(TrainingJob.PLURAL, object("b").put("spec", 5));
    store.apply(TrainingJob.PLURAL, object("c"));

    assertEquals(java.util.List.of("a", "c"),
        new StoredTrainingJobs(store).list().stream().map(j -> j.getMetadata().getName()).toList());
  }
}
