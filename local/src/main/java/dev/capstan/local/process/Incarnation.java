package dev.capstan.local.process;

import java.util.Optional;
import java.util.UUID;

/**
 * One launch of a replica: the marker every process of it inherits ({@value #MARKER} in its
 * environment, kept by children that {@code setsid} away) and its cgroup where the host allows
 * one. Stopping an incarnation ends every process carrying its marker or sitting in its cgroup.
 */
public record Incarnation(String uid, String cgroup) {
  /** The environment variable that marks every process of an incarnation. */
  public static final String MARKER = "CAPSTAN_REPLICA_UID";

  static Incarnation next(ReplicaCgroups cgroups) {
    String uid = UUID.randomUUID().toString();
    return new Incarnation(uid, cgroups.pathFor(uid).map(Object::toString).orElse(null));
  }

  Optional<java.nio.file.Path> cgroupDir() {
    return Optional.ofNullable(cgroup).map(java.nio.file.Path::of);
  }
}
