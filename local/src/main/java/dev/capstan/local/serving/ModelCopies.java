package dev.capstan.local.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.core.serving.RevisionKey;
import dev.capstan.local.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * One downloaded copy of each revision's model under {@code $CAPSTAN_HOME/serving/models}
 * (owner-only), shared by all of the revision's replicas and kept while the revision exists, so
 * a scale from zero starts with the model already on disk. A copy is fetched in the background
 * the first time it is asked for; it appears under its final name only once complete, so a
 * restarted server finds either a whole copy or none. A failed fetch is remembered with its
 * reason until the revision is forgotten (a fixed spec makes a new revision).
 */
public final class ModelCopies {
  /** Where a revision's copy stands. */
  public sealed interface Copy {
    /** The copy is complete, at {@code dir}. */
    record Ready(Path dir) implements Copy {}

    /** The copy is being fetched. */
    record Fetching() implements Copy {}

    /** The fetch failed: {@code reason} says why. */
    record Failed(String reason) implements Copy {}
  }

  private static final Copy FETCHING = new Copy.Fetching();

  /** Places a revision's model source into a directory that does not exist yet, whole or not at all. */
  @FunctionalInterface
  public interface Fetch {
    void fetch(RevisionKey revision, String storageUri, Path target) throws IOException;
  }

  private final Path root;
  private final Fetch fetch;
  private final Map<RevisionKey, Copy> inFlight = new ConcurrentHashMap<>();

  public ModelCopies(Path root, Fetch fetch) {
    this.root = root;
    this.fetch = fetch;
  }

  /**
   * The revision's copy, starting its fetch from {@code storageUri} when there is none yet. The
   * fields of {@code modelYaml} are set in the copy's {@code model.yaml} (what the revision's spec
   * says of batching wins over what the model directory says) before the copy is complete.
   */
  public Copy ensure(RevisionKey key, String storageUri, Map<String, Object> modelYaml) {
    Optional<Copy> known = state(key);
    if (known.isPresent()) {
      return known.get();
    }
    if (inFlight.putIfAbsent(key, FETCHING) != null) {
      return inFlight.get(key);
    }
    Thread.ofVirtual().name("capstan-fetch-" + key).start(() -> inFlight.put(key, fetchNow(key, storageUri, modelYaml, dir(key))));
    return FETCHING;
  }

  /** Where the revision's copy stands, without starting anything; empty when no fetch was asked for. */
  public Optional<Copy> state(RevisionKey key) {
    Path dir = dir(key);
    if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.of(new Copy.Ready(dir));
    }
    return Optional.ofNullable(inFlight.get(key));
  }

  private Copy fetchNow(RevisionKey key, String storageUri, Map<String, Object> modelYaml, Path dir) {
    try {
      OwnerOnly.directories(dir.getParent());
      Path staging = dir.resolveSibling("." + dir.getFileName() + ".part");
      deleteTree(staging);
      fetch.fetch(key, storageUri, staging);
      overlay(staging.resolve("model.yaml"), modelYaml);
      tighten(staging);
      Files.move(staging, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return new Copy.Ready(dir);
    } catch (IOException | RuntimeException e) {
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      System.err.println("capstan: InferenceService " + key.namespace() + "/" + key.service() + " revision "
          + key.revision() + ": cannot fetch its model from " + storageUri + ": " + reason);
      return new Copy.Failed("cannot fetch the model from " + storageUri + ": " + reason);
    }
  }

  /** Sets top-level fields of a model directory's {@code model.yaml}, creating it when there is none. */
  private static void overlay(Path file, Map<String, Object> fields) throws IOException {
    if (fields.isEmpty()) {
      return;
    }
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("model.yaml must be a regular file");
    }
    JsonNode read = Files.exists(file) ? Manifests.yaml().readTree(file.toFile()) : null;
    ObjectNode yaml = read instanceof ObjectNode o ? o : Manifests.yaml().createObjectNode();
    fields.forEach((k, v) -> yaml.set(k, Manifests.yaml().valueToTree(v)));
    Files.writeString(file, Manifests.toYaml(yaml));
  }

  /** Deletes the revision's copy and forgets a failed fetch of it. */
  public void forget(RevisionKey key) {
    inFlight.remove(key);
    deleteTree(dir(key));
  }

  /** Deletes every copy of a service's revisions. */
  public void forgetService(String namespace, String service) {
    inFlight.keySet().removeIf(k -> k.namespace().equals(namespace) && k.service().equals(service));
    deleteTree(root.resolve(namespace).resolve(service));
  }

  Path dir(RevisionKey key) {
    return root.resolve(key.namespace()).resolve(key.service()).resolve(key.revision());
  }

  /** Directories 0700, files 0600, whatever the fetch left. */
  private static void tighten(Path tree) throws IOException {
    try (Stream<Path> walk = Files.walk(tree)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.setPosixFilePermissions(p, OwnerOnly.DIRECTORY);
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.setPosixFilePermissions(p, OwnerOnly.FILE);
        }
      }
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
