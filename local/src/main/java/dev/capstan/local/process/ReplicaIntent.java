package dev.capstan.local.process;

import dev.capstan.api.codec.Manifests;
import dev.capstan.local.OwnerOnly;
import dev.capstan.local.store.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the server wants of one replica, written durably before it acts and before the action
 * that asked for it returns: run {@code current} for this attempt, or stop. {@code stale} lists
 * earlier incarnations that may still have processes (started, or perhaps started, before a
 * crash); they are ended, up to {@code killAtMillis} after a SIGTERM, before anything new runs.
 * Because the intent names the marker of the incarnation before it is launched, a process that
 * was started but never recorded is still found and ended after a {@code kill -9} of the server.
 */
public record ReplicaIntent(
    Kind kind, int attempt, Incarnation current, List<Incarnation> stale, List<Integer> gpus, long killAtMillis,
    LaunchCommand command) {
  /** Run a replica, or stop it and forget it. */
  public enum Kind { Run, Stop }

  static final String FILE = "intent.json";

  public ReplicaIntent {
    stale = stale == null ? List.of() : List.copyOf(stale);
    gpus = gpus == null ? List.of() : List.copyOf(gpus);
  }

  static ReplicaIntent run(int attempt, Incarnation current, List<Incarnation> stale, List<Integer> gpus, Instant killAt,
      LaunchCommand command) {
    return new ReplicaIntent(Kind.Run, attempt, current, stale, gpus, killAt.toEpochMilli(), command);
  }

  /** Stop whatever this intent ran (or would have run). */
  ReplicaIntent stop(Instant killAt) {
    return new ReplicaIntent(Kind.Stop, attempt, null, everyIncarnation(), gpus, killAt.toEpochMilli(), null);
  }

  /**
   * The same attempt under a fresh incarnation; the current one joins the stale ones, which end
   * at once: they were never recorded, so nothing waited for them to run.
   */
  ReplicaIntent relaunch(Incarnation next) {
    return new ReplicaIntent(kind, attempt, next, everyIncarnation(), gpus, Math.min(killAtMillis, System.currentTimeMillis()), command);
  }

  ReplicaIntent withoutStale(List<Incarnation> ended) {
    List<Incarnation> left = stale.stream().filter(i -> ended.stream().noneMatch(e -> e.uid().equals(i.uid()))).toList();
    return new ReplicaIntent(kind, attempt, current, left, gpus, killAtMillis, command);
  }

  /** Every incarnation this intent knows of: the stale ones and the current one. */
  List<Incarnation> everyIncarnation() {
    List<Incarnation> all = new ArrayList<>(stale);
    if (current != null) {
      all.add(current);
    }
    return all;
  }

  boolean stopping() {
    return kind == Kind.Stop;
  }

  Instant killAt() {
    return Instant.ofEpochMilli(killAtMillis);
  }

  static Optional<ReplicaIntent> read(Path replicaDir) {
    Path file = replicaDir.resolve(FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Manifests.json().readValue(file.toFile(), ReplicaIntent.class));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  void write(Path replicaDir) {
    try {
      OwnerOnly.directories(replicaDir);
      DurableFiles.write(replicaDir.resolve(FILE), Manifests.json().writeValueAsBytes(this));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the intent for " + replicaDir, e);
    }
  }

  static void delete(Path replicaDir) {
    DurableFiles.delete(replicaDir.resolve(FILE));
  }
}
