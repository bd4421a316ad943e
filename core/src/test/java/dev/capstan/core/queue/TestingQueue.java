package dev.capstan.core.queue;

import dev.capstan.api.queue.NamespaceMatch;
import dev.capstan.api.queue.PreemptionRules;
import dev.capstan.api.queue.QueueModel;
import dev.capstan.api.queue.QueueingStrategy;
import dev.capstan.api.queue.Quota;
import dev.capstan.api.queue.StopPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Builds QueueModels for scheduler tests; CPU amounts are in cores. */
final class TestingQueue {
  private final String name;
  private String cohort;
  private QueueingStrategy strategy = QueueingStrategy.BestEffortFIFO;
  private Quota cpu = Quota.nominal(0);
  private PreemptionRules preemption = PreemptionRules.NEVER;
  private double weight = 1;
  private StopPolicy stop = StopPolicy.None;
  private Duration minimumRuntime = Duration.ZERO;

  private TestingQueue(String name) {
    this.name = name;
  }

  static TestingQueue queue(String name) {
    return new TestingQueue(name);
  }

  TestingQueue cpu(int nominal) {
    cpu = Quota.nominal(nominal * 1000L);
    return this;
  }

  TestingQueue cpu(int nominal, Integer borrowingLimit, Integer lendingLimit) {
    cpu = new Quota(nominal * 1000L, borrowingLimit == null ? OptionalLong.empty() : OptionalLong.of(borrowingLimit * 1000L),
        lendingLimit == null ? OptionalLong.empty() : OptionalLong.of(lendingLimit * 1000L));
    return this;
  }

  TestingQueue cohort(String c) {
    cohort = c;
    return this;
  }

  TestingQueue strictFifo() {
    strategy = QueueingStrategy.StrictFIFO;
    return this;
  }

  TestingQueue preemptLowerPriority() {
    preemption = new PreemptionRules(PreemptionRules.WithinQueue.LowerPriority, preemption.reclaimWithinCohort(),
        preemption.borrowWithinCohort(), OptionalInt.empty());
    return this;
  }

  TestingQueue reclaim(PreemptionRules.Reclaim reclaim) {
    preemption = new PreemptionRules(preemption.withinQueue(), reclaim, preemption.borrowWithinCohort(), OptionalInt.empty());
    return this;
  }

  TestingQueue borrowPreemptingLowerPriority() {
    preemption = new PreemptionRules(preemption.withinQueue(), preemption.reclaimWithinCohort(),
        PreemptionRules.BorrowWithinCohort.LowerPriority, OptionalInt.empty());
    return this;
  }

  TestingQueue weight(double w) {
    weight = w;
    return this;
  }

  TestingQueue stop(StopPolicy s) {
    stop = s;
    return this;
  }

  TestingQueue minimumRuntime(Duration d) {
    minimumRuntime = d;
    return this;
  }

  QueueModel build() {
    return new QueueModel(name, 1, NamespaceMatch.ANY, Optional.ofNullable(cohort), strategy, Map.of("cpu", cpu), false,
        preemption, weight, stop, minimumRuntime);
  }
}
