package dev.capstan.core.queue;

import java.util.Optional;

/** Who preempted an admitted workload and why; {@code preemptor} is empty for a drained queue. */
public record Eviction(Optional<String> preemptor, PreemptionReason reason, String message) {}
