package dev.capstan.local.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Manifests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The embedded durable store: one JSON file per resource under {@code store/<plural>/<ns>/},
 * written with {@link DurableFiles}, mirrored in memory. Every change is on disk before the call
 * returns, so whatever the API acknowledged survives {@code kill -9}. Objects keep Kubernetes
 * metadata semantics: uid, creationTimestamp, resourceVersion, generation (bumped when the spec
 * changes) and deletionTimestamp.
 */
public final class FileResourceStore {
  private final Path root;
  private final Map<String, ObjectNode> objects = new TreeMap<>();
  private long resourceVersion;

  public FileResourceStore(Path root) {
    this.root = root;
    load();
  }

  /** Creates or updates the spec (and labels/annotations) of an object; the status is kept. */
  public synchronized ObjectNode apply(String plural, ObjectNode incoming) {
    ObjectNode meta = (ObjectNode) incoming.path("metadata");
    String key = key(plural, meta.path("namespace").asText(), meta.path("name").asText());
    ObjectNode existing = objects.get(key);
    ObjectNode next = incoming.deepCopy();
    ObjectNode nextMeta = (ObjectNode) next.get("metadata");
    if (existing == null) {
      nextMeta.put("uid", UUID.randomUUID().toString());
      nextMeta.put("creationTimestamp", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
      nextMeta.put("generation", 1);
      next.remove("status");
    } else {
      ObjectNode oldMeta = (ObjectNode) existing.get("metadata");
      for (String kept : List.of("uid", "creationTimestamp", "generation", "deletionTimestamp")) {
        if (oldMeta.has(kept)) {
          nextMeta.set(kept, oldMeta.get(kept));
        }
      }
      boolean specChanged = !existing.path("spec").equals(next.path("spec"));
      if (specChanged) {
        nextMeta.put("generation", oldMeta.path("generation").asLong(1) + 1);
      } else if (existing.path("metadata").path("labels").equals(nextMeta.path("labels"))
          && existing.path("metadata").path("annotations").equals(nextMeta.path("annotations"))) {
        return existing.deepCopy();
      }
      if (existing.has("status")) {
        next.set("status", existing.get("status"));
      } else {
        next.remove("status");
      }
    }
    return save(plural, key, next);
  }

  /** Replaces the status; refused (returns false) when the object is gone. */
  public synchronized boolean updateStatus(String plural, String namespace, String name, JsonNode status) {
    String key = key(plural, namespace, name);
    ObjectNode existing = objects.get(key);
    if (existing == null) {
      return false;
    }
    ObjectNode next = existing.deepCopy();
    next.set("status", status);
    save(plural, key, next);
    return true;
  }

  /** Marks an object for deletion; its controller removes it once its children are gone. */
  public synchronized Optional<ObjectNode> markDeleted(String plural, String namespace, String name) {
    String key = key(plural, namespace, name);
    ObjectNode existing = objects.get(key);
    if (existing == null) {
      return Optional.empty();
    }
    if (existing.path("metadata").has("deletionTimestamp")) {
      return Optional.of(existing.deepCopy());
    }
    ObjectNode next = existing.deepCopy();
    ((ObjectNode) next.get("metadata")).put("deletionTimestamp", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
    return Optional.of(save(plural, key, next));
  }

  public synchronized void remove(String plural, String namespace, String name) {
    String key = key(plural, namespace, name);
    if (objects.remove(key) != null) {
      DurableFiles.delete(file(plural, namespace, name));
    }
  }

  public synchronized Optional<ObjectNode> get(String plural, String namespace, String name) {
    return Optional.ofNullable(objects.get(key(plural, namespace, name))).map(ObjectNode::deepCopy);
  }

  /** Objects of a kind, in one namespace or (namespace null) all, ordered by namespace and name. */
  public synchronized List<ObjectNode> list(String plural, String namespace) {
    String prefix = namespace == null ? plural + "/" : plural + "/" + namespace + "/";
    List<ObjectNode> out = new ArrayList<>();
    objects.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        out.add(v.deepCopy());
      }
    });
    return out;
  }

  private ObjectNode save(String plural, String key, ObjectNode next) {
    ObjectNode meta = (ObjectNode) next.get("metadata");
    meta.put("resourceVersion", Long.toString(++resourceVersion));
    try {
      DurableFiles.write(file(plural, meta.path("namespace").asText(), meta.path("name").asText()),
          Manifests.json().writeValueAsBytes(next));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    objects.put(key, next);
    return next.deepCopy();
  }

  private void load() {
    if (!Files.isDirectory(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json") && !p.getFileName().toString().startsWith("."))
          .sorted(Comparator.naturalOrder()).toList()) {
        ObjectNode node = (ObjectNode) Manifests.json().readTree(f.toFile());
        Path rel = root.relativize(f);
        String plural = rel.getName(0).toString();
        ObjectNode meta = (ObjectNode) node.get("metadata");
        objects.put(key(plural, meta.path("namespace").asText(), meta.path("name").asText()), node);
        resourceVersion = Math.max(resourceVersion, meta.path("resourceVersion").asLong(0));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the store at " + root, e);
    }
  }

  private Path file(String plural, String namespace, String name) {
    return root.resolve(plural).resolve(namespace).resolve(name + ".json");
  }

  private static String key(String plural, String namespace, String name) {
    return plural + "/" + namespace + "/" + name;
  }
}
