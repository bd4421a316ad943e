package dev.capstan.local.server;

import com.sun.security.auth.module.UnixSystem;
import java.util.HashSet;
import java.util.Set;

/**
 * The user and groups the local server runs as. Replicas are its child processes, so they run as
 * the same user with the same groups: local mode can honour a pod's identity fields only where
 * they name these.
 */
record ServerUser(long uid, long gid, Set<Long> groups) {
  ServerUser {
    Set<Long> all = new HashSet<>(groups);
    all.add(gid);
    groups = Set.copyOf(all);
  }

  static ServerUser current() {
    UnixSystem unix = new UnixSystem();
    Set<Long> groups = new HashSet<>();
    if (unix.getGroups() != null) {
      for (long g : unix.getGroups()) {
        groups.add(g);
      }
    }
    return new ServerUser(unix.getUid(), unix.getGid(), groups);
  }

  boolean isRoot() {
    return uid == 0;
  }

  boolean hasGroup(long group) {
    return groups.contains(group);
  }
}
