package dev.capstan.local.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Manifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileResourceStoreTest {
  @TempDir Path dir;

  private static ObjectNode job(String name, int count) {
    ObjectNode doc = Manifests.json().createObjectNode();
    doc.put("apiVersion", "capstan.dev/v1alpha1").put("kind", "TrainingJob");
    doc.putObject("metadata").put("name", name).put("namespace", "default");
    doc.putObject("spec").put("framework", "pytorch").putObject("replicas").putObject("worker").put("count", count);
    return doc;
  }

  @Test
  void generationMovesOnlyWhenTheSpecChanges() {
    FileResourceStore store = new FileResourceStore(dir);
    ObjectNode created = store.apply("trainingjobs", job("a", 1));
    assertEquals(1, created.path("metadata").path("generation").asInt());
    assertEquals(1, store.apply("trainingjobs", job("a", 1)).path("metadata").path("generation").asInt());
    ObjectNode changed = store.apply("trainingjobs", job("a", 2));
    assertEquals(2, changed.path("metadata").path("generation").asInt());
    assertEquals(created.path("metadata").path("uid"), changed.path("metadata").path("uid"));
  }

  @Test
  void applyKeepsTheStatusAndEverythingSurvivesAReopen() {
    FileResourceStore store = new FileResourceStore(dir);
    store.apply("trainingjobs", job("a", 1));
    assertTrue(store.updateStatus("trainingjobs", "default", "a", Manifests.json().createObjectNode().put("state", "Running")));
    store.apply("trainingjobs", job("a", 3));

    FileResourceStore reopened = new FileResourceStore(dir);
    ObjectNode back = reopened.get("trainingjobs", "default", "a").orElseThrow();
    assertEquals("Running", back.path("status").path("state").asText());
    assertEquals(3, back.path("spec").path("replicas").path("worker").path("count").asInt());
    long before = Long.parseLong(back.path("metadata").path("resourceVersion").asText());
    ObjectNode next = reopened.apply("trainingjobs", job("a", 4));
    assertTrue(Long.parseLong(next.path("metadata").path("resourceVersion").asText()) > before, "resourceVersion keeps rising");
  }

  @Test
  void deletionIsMarkedThenRemovedForGood() throws Exception {
    FileResourceStore store = new FileResourceStore(dir);
    store.apply("trainingjobs", job("a", 1));
    assertTrue(store.markDeleted("trainingjobs", "default", "a").orElseThrow().path("metadata").has("deletionTimestamp"));
    store.remove("trainingjobs", "default", "a");
    assertFalse(store.get("trainingjobs", "default", "a").isPresent());
    assertFalse(new FileResourceStore(dir).get("trainingjobs", "default", "a").isPresent());
    try (var files = Files.walk(dir)) {
      assertEquals(0, files.filter(Files::isRegularFile).count(), "no file, temporary or not, is left");
    }
  }

  @Test
  void statusOfAMissingObjectIsRefused() {
    assertFalse(new FileResourceStore(dir).updateStatus("trainingjobs", "default", "nope", Manifests.json().createObjectNode()));
  }

  @Test
  void unreadableFilesAreSetAsideWithTheirPathAndReasonAndTheRestIsServed() throws Exception {
    new FileResourceStore(dir).apply("trainingjobs", job("good", 1));
    Path ns = dir.resolve("trainingjobs/default");
    Files.writeString(ns.resolve("empty.json"), "");
    Files.writeString(ns.resolve("array.json"), "[]");
    Files.writeString(ns.resolve("torn.json"), "{\"metadata\": {\"name\": \"to");
    Files.writeString(ns.resolve("moved.json"), Manifests.toJson(job("other", 1)));
    Files.writeString(ns.resolve("typed.json"), "{\"metadata\": {\"name\": \"typed\", \"namespace\": \"default\"}, \"spec\": 5}");
    Files.writeString(ns.resolve(".good.json.tmp"), "{\"half\": ");

    FileResourceStore store = new FileResourceStore(dir);
    assertEquals(List.of("good"), store.list("trainingjobs", null).stream().map(o -> o.path("metadata").path("name").asText()).toList());
    Map<String, String> reasons = store.quarantined("trainingjobs").stream()
        .collect(Collectors.toMap(Quarantine.Entry::file, Quarantine.Entry::reason));
    assertEquals(Set.of("array.json", "empty.json", "moved.json", "torn.json", "typed.json"),
        reasons.keySet().stream().map(f -> Path.of(f).getFileName().toString()).collect(Collectors.toSet()));
    assertEquals("the file is empty", reasons.get("trainingjobs/default/empty.json"));
    assertEquals("not a JSON object (is array)", reasons.get("trainingjobs/default/array.json"));
    assertTrue(reasons.get("trainingjobs/default/torn.json").startsWith("not valid JSON"), reasons.toString());
    assertTrue(reasons.get("trainingjobs/default/moved.json").contains("do not match the file's path"), reasons.toString());
    assertTrue(reasons.get("trainingjobs/default/typed.json").startsWith("not a readable TrainingJob"), reasons.toString());
    for (Quarantine.Entry e : store.quarantined("trainingjobs")) {
      assertTrue(Files.exists(Path.of(e.movedTo())), e.movedTo() + " keeps the bytes for the owner to look at");
      assertFalse(Files.exists(dir.resolve(e.file())), e.file() + " left the store");
    }
    assertFalse(Files.exists(ns.resolve(".good.json.tmp")), "a stray temporary file is deleted on start");

    FileResourceStore reopened = new FileResourceStore(dir);
    assertEquals(5, reopened.quarantined("trainingjobs").size(), "set-aside files stay listed until deleted");
    assertEquals("the file is empty", reopened.quarantined("trainingjobs").stream()
        .filter(e -> e.file().endsWith("empty.json")).findFirst().orElseThrow().reason());
    assertEquals(1, reopened.apply("trainingjobs", job("empty", 1)).path("metadata").path("generation").asInt(),
        "the name of a set-aside object can be applied afresh");
  }

  @Test
  void entriesThatAreNotRegularFilesAreSetAsideToo() throws Exception {
    new FileResourceStore(dir).apply("trainingjobs", job("good", 1));
    Path ns = dir.resolve("trainingjobs/default");
    assertEquals(0, new ProcessBuilder("mkfifo", ns.resolve("fifo.json").toString()).start().waitFor());
    Files.createSymbolicLink(ns.resolve("zero.json"), Path.of("/dev/zero"));
    Files.writeString(Files.createDirectories(ns.resolve("dir.json")).resolve("inside.json"), "{}");

    FileResourceStore store = new FileResourceStore(dir);
    assertEquals(List.of("good"), store.list("trainingjobs", null).stream().map(o -> o.path("metadata").path("name").asText()).toList());
    Map<String, String> reasons = store.quarantined("trainingjobs").stream()
        .collect(Collectors.toMap(Quarantine.Entry::file, Quarantine.Entry::reason));
    assertEquals(Map.of(
        "trainingjobs/default/fifo.json", "not a regular file (is a special file)",
        "trainingjobs/default/zero.json", "not a regular file (is a symbolic link)",
        "trainingjobs/default/dir.json", "not a regular file (is a directory)"), reasons);
    assertEquals(1, store.apply("trainingjobs", job("dir", 1)).path("metadata").path("generation").asInt(),
        "the name of a set-aside directory can be applied afresh");
  }
}
