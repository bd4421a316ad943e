package dev.capstan.core.queue;

/**
 * Where the scheduler reads what workloads may use: the host's resources locally (less what
 * serving replicas hold), node allocatable from informer caches in a cluster. Read once per cycle.
 */
@FunctionalInterface
public interface CapacitySource {
  Capacity capacity();
}
