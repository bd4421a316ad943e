package dev.capstan.kubernetes.training;

import dev.capstan.kubernetes.TestingCluster;

/** Placeholder: later collects every object the operator emitted, for the API-rule checks. */
final class ClusterObjects {
  private ClusterObjects() {}

  static void record(TestingCluster cluster) {}
}
