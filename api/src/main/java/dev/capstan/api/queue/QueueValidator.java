package dev.capstan.api.queue;

import dev.capstan.api.training.TrainingJobLimits;
import dev.capstan.api.validation.Errors;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/** Walks a Queue, collecting every field error with its path, and builds the model when there are none. */
final class QueueValidator {
  static final int MAX_NAMESPACES = 1024;
  static final int MAX_RESOURCES = 32;
  static final int MAX_LABELS = 32;
  static final double MAX_WEIGHT = 10_000;

  private final Queue queue;
  private final Errors errors = new Errors();

  QueueValidator(Queue queue) {
    this.queue = queue;
  }

  QueueModel toModel() {
    ObjectMeta meta = queue.getMetadata() == null ? new ObjectMeta() : queue.getMetadata();
    errors.dnsLabel("metadata.name", meta.getName(), 63);
    QueueSpec spec = queue.getSpec() == null ? new QueueSpec() : queue.getSpec();
    NamespaceMatch namespaces = namespaces(spec);
    Optional<String> cohort = Optional.ofNullable(spec.getCohort());
    cohort.ifPresent(c -> errors.dnsLabel("spec.cohort", c, 63));
    QueueingStrategy strategy = errors.oneOf("spec.queueingStrategy", spec.getQueueingStrategy(), QueueingStrategy.class,
        QueueingStrategy.BestEffortFIFO);
    Map<String, Quota> quotas = quotas(spec, cohort.isPresent());
    PreemptionRules preemption = preemption(spec.getPreemption());
    double weight = weight(spec.getFairSharing());
    StopPolicy stop = errors.oneOf("spec.stopPolicy", spec.getStopPolicy(), StopPolicy.class, StopPolicy.None);
    errors.between("spec.minimumRuntimeSeconds", spec.getMinimumRuntimeSeconds(), 0, TrainingJobLimits.MAX_SECONDS);
    errors.throwIfAny();
    long generation = meta.getGeneration() == null ? 1 : meta.getGeneration();
    Duration minimumRuntime = Duration.ofSeconds(spec.getMinimumRuntimeSeconds() == null ? 0 : spec.getMinimumRuntimeSeconds());
    return new QueueModel(meta.getName(), generation, namespaces, cohort, strategy, quotas, false, preemption, weight, stop,
        minimumRuntime);
  }

  private NamespaceMatch namespaces(QueueSpec spec) {
    List<String> names = spec.getNamespaces();
    LabelSelector selector = spec.getNamespaceSelector();
    if (names != null && selector != null) {
      errors.add("spec.namespaceSelector", "give namespaces or namespaceSelector, not both");
      return NamespaceMatch.ANY;
    }
    if (names != null) {
      if (!errors.atMostEntries("spec.namespaces", names.size(), MAX_NAMESPACES)) {
        return NamespaceMatch.ANY;
      }
      Set<String> set = new LinkedHashSet<>();
      for (int i = 0; i < names.size(); i++) {
        errors.dnsLabel("spec.namespaces[" + i + "]", names.get(i), 63);
        set.add(names.get(i));
      }
      return new NamespaceMatch(Optional.of(Set.copyOf(set)), Map.of());
    }
    if (selector == null) {
      return NamespaceMatch.ANY;
    }
    if (selector.getMatchExpressions() != null && !selector.getMatchExpressions().isEmpty()) {
      errors.add("spec.namespaceSelector.matchExpressions", "not supported; use matchLabels or list the namespaces");
    }
    Map<String, String> labels = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
    errors.atMostEntries("spec.namespaceSelector.matchLabels", labels.size(), MAX_LABELS);
    labels.forEach((k, v) -> {
      errors.atMostChars("spec.namespaceSelector.matchLabels." + k, k, 317);
      errors.atMostChars("spec.namespaceSelector.matchLabels." + k, v, 63);
    });
    return new NamespaceMatch(Optional.empty(), Map.copyOf(labels));
  }

  private Map<String, Quota> quotas(QueueSpec spec, boolean inCohort) {
    Map<String, ResourceQuota> resources = spec.getResources() == null ? Map.of() : spec.getResources();
    Map<String, Quota> quotas = new LinkedHashMap<>();
    if (!errors.atMostEntries("spec.resources", resources.size(), MAX_RESOURCES)) {
      return quotas;
    }
    resources.forEach((resource, quota) -> {
      String path = "spec.resources." + resource;
      if (!ResourceUnits.validName(resource)) {
        errors.add(path, "not a resource name (cpu, memory, nvidia.com/gpu, example.com/device)");
        return;
      }
      ResourceQuota q = quota == null ? new ResourceQuota() : quota;
      if (q.getNominalQuota() == null) {
        errors.add(path + ".nominalQuota", "required");
      }
      long nominal = amount(path + ".nominalQuota", resource, q.getNominalQuota()).orElse(0);
      OptionalLong borrowing = amount(path + ".borrowingLimit", resource, q.getBorrowingLimit());
      OptionalLong lending = amount(path + ".lendingLimit", resource, q.getLendingLimit());
      if (!inCohort && (borrowing.isPresent() || lending.isPresent())) {
        errors.add(path, "borrowingLimit and lendingLimit need spec.cohort: a queue outside a cohort neither borrows nor lends");
      }
      if (lending.isPresent() && lending.getAsLong() > nominal) {
        errors.add(path + ".lendingLimit", "must be at most nominalQuota (" + ResourceUnits.format(resource, nominal) + ")");
      }
      quotas.put(resource, new Quota(nominal, borrowing, lending));
    });
    return Map.copyOf(quotas);
  }

  private OptionalLong amount(String path, String resource, Quantity q) {
    if (q == null) {
      return OptionalLong.empty();
    }
    BigDecimal exact;
    try {
      exact = ResourceUnits.exact(resource, q);
    } catch (RuntimeException e) {
      errors.add(path, "not a quantity (is '" + q + "')");
      return OptionalLong.empty();
    }
    if (exact.signum() < 0) {
      errors.add(path, "must not be negative (is " + q + ")");
      return OptionalLong.empty();
    }
    if (exact.compareTo(BigDecimal.valueOf(ResourceUnits.max(resource))) > 0) {
      errors.add(path, "must be at most " + ResourceUnits.format(resource, ResourceUnits.max(resource)) + " (is " + q + ")");
      return OptionalLong.empty();
    }
    return OptionalLong.of(ResourceUnits.whole(exact));
  }

  private PreemptionRules preemption(QueuePreemption p) {
    if (p == null) {
      return PreemptionRules.NEVER;
    }
    PreemptionRules.WithinQueue within = errors.oneOf("spec.preemption.withinQueue", p.getWithinQueue(),
        PreemptionRules.WithinQueue.class, PreemptionRules.WithinQueue.Never);
    PreemptionRules.Reclaim reclaim = errors.oneOf("spec.preemption.reclaimWithinCohort", p.getReclaimWithinCohort(),
        PreemptionRules.Reclaim.class, PreemptionRules.Reclaim.Never);
    QueuePreemption.BorrowWithinCohort b = p.getBorrowWithinCohort();
    PreemptionRules.BorrowWithinCohort borrow = b == null ? PreemptionRules.BorrowWithinCohort.Never
        : errors.oneOf("spec.preemption.borrowWithinCohort.policy", b.getPolicy(), PreemptionRules.BorrowWithinCohort.class,
            PreemptionRules.BorrowWithinCohort.Never);
    Integer threshold = b == null ? null : b.getMaxPriorityThreshold();
    errors.between("spec.preemption.borrowWithinCohort.maxPriorityThreshold", threshold, Priorities.MIN, Priorities.MAX);
    return new PreemptionRules(within, reclaim, borrow, threshold == null ? OptionalInt.empty() : OptionalInt.of(threshold));
  }

  private double weight(QueueSpec.FairSharing fairSharing) {
    Double weight = fairSharing == null ? null : fairSharing.getWeight();
    if (weight == null) {
      return 1.0;
    }
    if (!Double.isFinite(weight) || weight < 0 || weight > MAX_WEIGHT) {
      errors.add("spec.fairSharing.weight", "must be between 0 and " + (long) MAX_WEIGHT + " (is " + weight + ")");
      return 1.0;
    }
    return weight;
  }
}
