package dev.capstan.local.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Kinds;
import dev.capstan.api.codec.Manifests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
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
 * changes) and deletionTimestamp. On start, a file that cannot be read as an object is set aside in
 * the {@link Quarantine} (and listed there) instead of stopping the server.
 */
public final class FileResourceStore {
  private final Path root;
  private final Map<String, ObjectNode> objects = new TreeMap<>();
  private final Quarantine quarantine;
  private long resourceVersion;

  public FileResourceStore(Path root) {
    this.root = root;
    this.quarantine = new Quarantine(root);
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

  /** Store files that could not be read at start, set aside; the rest is served. */
  public synchronized List<Quarantine.Entry> quarantined(String plural) {
    return quarantine.list(plural);
  }

  /**
   * Reads every object file. A file that is not a readable object of its kind (empty, not JSON, an
   * array, metadata not matching its path) is quarantined and the rest is served; temporary files
   * an interrupted write left behind are deleted.
   */
  private void load() {
    if (!Files.isDirectory(root)) {
      return;
    }
    List<Path> entries;
    try (Stream<Path> walk = Files.walk(root)) {
      entries = walk.filter(f -> !f.equals(root) && !Quarantine.holds(root, f)).sorted(Comparator.naturalOrder()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the store at " + root, e);
    }
    for (Path f : entries) {
      String name = f.getFileName().toString();
      boolean regular = Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS);
      if (!Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
        continue; // inside something already set aside
      } else if (regular && name.endsWith(".tmp")) {
        deleteStray(f);
      } else if (!regular && name.endsWith(".json")) {
        quarantine.add(f, "not a regular file (is " + entryKind(f) + ")");
      } else if (name.endsWith(".json") && !name.startsWith(".")) {
        try {
          ObjectNode node = read(f);
          ObjectNode meta = (ObjectNode) node.get("metadata");
          objects.put(key(root.relativize(f).getName(0).toString(), meta.path("namespace").asText(), meta.path("name").asText()), node);
          resourceVersion = Math.max(resourceVersion, meta.path("resourceVersion").asLong(0));
        } catch (Unreadable e) {
          quarantine.add(f, e.getMessage());
        }
      }
    }
  }

  /** Reads one object file, checking it is an object of a known kind stored where its metadata says. */
  private ObjectNode read(Path f) {
    Path rel = root.relativize(f);
    JsonNode node;
    try {
      node = Manifests.json().readTree(f.toFile());
    } catch (JsonProcessingException e) {
      throw new Unreadable("not valid JSON: " + e.getOriginalMessage().split("\n")[0]);
    } catch (IOException e) {
      throw new Unreadable("cannot be read: " + e.getMessage());
    }
    if (node == null || node.isMissingNode()) {
      throw new Unreadable("the file is empty");
    }
    if (!node.isObject()) {
      throw new Unreadable("not a JSON object (is " + node.getNodeType().name().toLowerCase(Locale.ROOT) + ")");
    }
    if (rel.getNameCount() != 3) {
      throw new Unreadable("not at <kind>/<namespace>/<name>.json in the store");
    }
    String plural = rel.getName(0).toString();
    String namespace = rel.getName(1).toString();
    String name = rel.getFileName().toString().replaceFirst("\\.json$", "");
    JsonNode meta = node.path("metadata");
    if (!meta.isObject() || !namespace.equals(meta.path("namespace").asText(null)) || !name.equals(meta.path("name").asText(null))) {
      throw new Unreadable("metadata.namespace/name do not match the file's path (" + namespace + "/" + name + ")");
    }
    Kinds.KindInfo kind = Kinds.all().stream().filter(k -> k.plural().equals(plural)).findFirst()
        .orElseThrow(() -> new Unreadable("no kind is stored as '" + plural + "'"));
    try {
      Manifests.json().treeToValue(node, kind.type());
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new Unreadable("not a readable " + kind.kind() + ": " + e.getMessage().split("\n")[0]);
    }
    return (ObjectNode) node;
  }

  private static String entryKind(Path f) {
    if (Files.isSymbolicLink(f)) {
      return "a symbolic link";
    }
    return Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS) ? "a directory" : "a special file";
  }

  private static void deleteStray(Path tmp) {
    try {
      Files.deleteIfExists(tmp);
      System.err.println("store: deleted " + tmp + ", left by a write that did not finish");
    } catch (IOException e) {
      System.err.println("store: cannot delete " + tmp + ": " + e.getMessage());
    }
  }

  /** Why an object file cannot be served. */
  private static final class Unreadable extends RuntimeException {
    Unreadable(String reason) {
      super(reason);
    }
  }

  private Path file(String plural, String namespace, String name) {
    return root.resolve(plural).resolve(namespace).resolve(name + ".json");
  }

  private static String key(String plural, String namespace, String name) {
    return plural + "/" + namespace + "/" + name;
  }
}
