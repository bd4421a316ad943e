package dev.capstan.core.queue;

import static dev.capstan.core.queue.TestingQueue.queue;
import static dev.capstan.core.queue.TestingWorkload.T0;
import static dev.capstan.core.queue.TestingWorkload.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.api.queue.PreemptionRules;
import dev.capstan.api.queue.QueueModel;
import dev.capstan.api.queue.StopPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The scheduling cycle on snapshots: quotas, borrowing, priorities, strategies, preemption, fair sharing, gangs. */
class SchedulingCycleTest {
  private static final Instant NOW = T0.plus(Duration.ofHours(1));
  private static final Capacity BIG_HOST = Capacity.host(ResourceList.of("cpu", 1_000_000L));

  @Test
  void aQueuesNominalQuotaIsEnforced() {
    SchedulingResult r = cycle(List.of(queue("research").cpu(4).build()), List.of(),
        List.of(job("a", "research", 1, 2).created(1), job("b", "research", 1, 2).created(2), job("c", "research", 1, 2).created(3)));
    assertAdmitted(r, "job a", "job b");
    AdmissionDecision.Waiting c = waiting(r, "job c");
    assertEquals(new Shortfall(Shortfall.Kind.QuotaExceeded, "cpu", 2000, 0), c.shortfalls().get(0));
    assertEquals(1, c.position());
    assertEquals(ResourceList.of("cpu", 4000L), r.queues().get("research").usage());
    assertEquals(1, r.queues().get("research").pending());
  }

  @Test
  void withoutQueuesTheHostsCapacityDecidesOldestFirst() {
    Capacity host = Capacity.host(ResourceList.of("cpu", 4000L));
    List<QueueableWorkload> pending = List.of(job("newer", null, 1, 2).created(2), job("older", null, 1, 3).created(1),
        job("huge", null, 1, 5).created(0));
    SchedulingResult r = cycle(List.of(), List.of(), pending, host, SchedulerPolicy.LOCAL);
    assertAdmitted(r, "job older");
    assertEquals("waiting for capacity: cpu 2 > 1 free", waiting(r, "job newer").reason());
    AdmissionDecision.Rejected huge = assertInstanceOf(AdmissionDecision.Rejected.class, r.decision("job huge"));
    assertEquals("the job needs more than this machine has in all: cpu 5 > 4", huge.reason());
    SchedulingResult cluster = cycle(List.of(), List.of(), pending, host, SchedulerPolicy.CLUSTER);
    assertEquals(Shortfall.Kind.ExceedsCapacity, waiting(cluster, "job huge").shortfalls().get(0).kind(),
        "in a cluster an oversized gang waits for nodes");
  }

  @Test
  void aQueueBorrowsFromItsCohortUpToItsBorrowingLimit() {
    List<QueueModel> queues = List.of(queue("a").cpu(2, 4, null).cohort("shared").build(), queue("b").cpu(8).cohort("shared").build());
    SchedulingResult r = cycle(queues, List.of(), IntStream.range(0, 4).mapToObj(i -> (QueueableWorkload) job("a" + i, "a", 1, 2).created(i)).toList());
    assertAdmitted(r, "job a0", "job a1", "job a2");
    assertEquals(Shortfall.Kind.QuotaExceeded, waiting(r, "job a3").shortfalls().get(0).kind());
    assertEquals(ResourceList.of("cpu", 4000L), r.queues().get("a").borrowed());
  }

  @Test
  void aLendingLimitKeepsPartOfTheLendersQuota() {
    List<QueueModel> queues = List.of(queue("a").cpu(2).cohort("shared").build(), queue("b").cpu(8, null, 2).cohort("shared").build());
    SchedulingResult r = cycle(queues, List.of(), IntStream.range(0, 4).mapToObj(i -> (QueueableWorkload) job("a" + i, "a", 1, 1).created(i)).toList());
    assertAdmitted(r, "job a0", "job a1", "job a2", "job a3");
    SchedulingResult more = cycle(queues, List.of(), List.of(job("big", "a", 1, 5)));
    assertEquals(new Shortfall(Shortfall.Kind.ExceedsQuota, "cpu", 5000, 4000), waiting(more, "job big").shortfalls().get(0),
        "2 of its own and the 2 b lends is all a can ever have");
  }

  @Test
  void theLenderReclaimsWhatWasBorrowedWhenItNeedsItBack() {
    List<QueueModel> queues = List.of(queue("a").cpu(2).cohort("shared").build(),
        queue("b").cpu(6).cohort("shared").reclaim(PreemptionRules.Reclaim.Any).build());
    List<AdmittedWorkload> admitted = List.of(job("a0", "a", 1, 2).admitted(1), job("a1", "a", 1, 2).admitted(2),
        job("a2", "a", 1, 2).admitted(3), job("a3", "a", 1, 2).admitted(4));
    SchedulingResult r = cycle(queues, admitted, List.of(job("b0", "b", 1, 4).priority(-5)));
    assertEquals(Set.of("job a3", "job a2"), preempted(r), "the newest borrowed workloads go; a's own 2 cores stay");
    AdmissionDecision.Preempted p = (AdmissionDecision.Preempted) r.decision("job a3");
    assertEquals(new Eviction(Optional.of("job b0"), PreemptionReason.CohortReclaim, p.eviction().message()), p.eviction());
    assertTrue(p.eviction().message().contains("Queue b reclaims the quota Queue a borrowed"), p.eviction().message());
    assertEquals(Shortfall.Kind.PreemptionInProgress, waiting(r, "job b0").shortfalls().get(0).kind());

    List<AdmittedWorkload> stopping = List.of(admitted.get(0), admitted.get(1), evicting(admitted.get(2)), evicting(admitted.get(3)));
    SchedulingResult meanwhile = cycle(queues, stopping, List.of(job("b0", "b", 1, 4).priority(-5)));
    assertEquals(Set.of("job a3", "job a2"), preempted(meanwhile), "no further victims while the first ones stop");
    SchedulingResult after = cycle(queues, admitted.subList(0, 2), List.of(job("b0", "b", 1, 4)));
    assertAdmitted(after, "job a0", "job a1", "job b0");
  }

  @Test
  void withoutReclaimTheLenderWaits() {
    List<QueueModel> queues = List.of(queue("a").cpu(2).cohort("shared").build(), queue("b").cpu(6).cohort("shared").build());
    List<AdmittedWorkload> admitted = List.of(job("a0", "a", 1, 8).admitted(1));
    SchedulingResult r = cycle(queues, admitted, List.of(job("b0", "b", 1, 4)));
    assertEquals(Set.of(), preempted(r));
    assertEquals(Shortfall.Kind.QuotaExceeded, waiting(r, "job b0").shortfalls().get(0).kind());
  }

  @Test
  void strictFifoBlocksBehindItsHeadWhileBestEffortGoesOn() {
    List<QueueableWorkload> pending = List.of(job("big", "q", 1, 4).created(1), job("small", "q", 1, 1).created(2));
    List<AdmittedWorkload> admitted = List.of(job("running", "q", 1, 2).admitted(0));
    SchedulingResult strict = cycle(List.of(queue("q").cpu(4).strictFifo().build()), admitted, pending);
    assertEquals(Shortfall.Kind.QuotaExceeded, waiting(strict, "job big").shortfalls().get(0).kind());
    assertEquals(Shortfall.about(Shortfall.Kind.BlockedByHead, "job big"), waiting(strict, "job small").shortfalls().get(0));
    assertEquals(2, waiting(strict, "job small").position());
    SchedulingResult bestEffort = cycle(List.of(queue("q").cpu(4).build()), admitted, pending);
    assertAdmitted(bestEffort, "job running", "job small");
  }

  @Test
  void higherPriorityGoesFirstThenOlder() {
    SchedulingResult r = cycle(List.of(queue("q").cpu(2).build()), List.of(),
        List.of(job("old-low", "q", 1, 2).created(1), job("new-high", "q", 1, 2).created(5).priority(100),
            job("new-class", "q", 1, 2).created(2).priorityClass("urgent")));
    assertAdmitted(r, "job new-class");
    assertEquals(1, waiting(r, "job new-high").position());
    assertEquals(2, waiting(r, "job old-low").position());
  }

  @Test
  void priorityPreemptionTakesTheFewestLowestNewestVictims() {
    QueueModel q = queue("q").cpu(10).preemptLowerPriority().build();
    List<AdmittedWorkload> admitted = List.of(
        job("y", "q", 1, 2).priority(1).admitted(1),
        job("x", "q", 1, 4).priority(1).admitted(2),
        job("z", "q", 1, 2).priority(1).admitted(3),
        job("w", "q", 1, 2).priority(9).admitted(4));
    SchedulingResult r = cycle(List.of(q), admitted, List.of(job("urgent", "q", 1, 4).priority(10)));
    assertEquals(Set.of("job x"), preempted(r),
        "z (newest of the lowest) then x free enough; giving z back still leaves room, so x alone goes; w has higher priority");
    assertEquals(PreemptionReason.WithinQueue, ((AdmissionDecision.Preempted) r.decision("job x")).eviction().reason());
    assertAdmitted(r, "job y", "job z", "job w");
  }

  @Test
  void nothingIsAdmittedIntoTheRoomOfVictimsStillStopping() {
    Capacity nodes = new Capacity(List.of(new Capacity.Node("n1", ResourceList.of("cpu", 8000L)),
        new Capacity.Node("n2", ResourceList.of("cpu", 8000L))), Set.of("cpu"));
    QueueModel q = queue("q").cpu(16).preemptLowerPriority().build();
    List<AdmittedWorkload> admitted = List.of(
        job("a", "q", 1, 8).priority(0).admitted(1),
        job("x", "q", 1, 6).priority(5).admitted(2),
        job("b", "q", 1, 2).priority(0).admitted(3));
    TestingWorkload both = job("both", "q", 1, 8).priority(10);
    TestingWorkload needsBoth = new TestingWorkload(both.key(), both.namespace(), both.queueName(), both.priority(),
        both.priorityClassName(), both.createdAt(), List.of(new PodSet("big", 1, ResourceList.of("cpu", 8000L)),
        new PodSet("small", 1, ResourceList.of("cpu", 2000L))));
    TestingWorkload small = job("small", "q", 1, 2).priority(0);
    SchedulingResult r = cycle(List.of(q), admitted, List.of(needsBoth, small), nodes, SchedulerPolicy.CLUSTER);
    assertEquals(Set.of("job a", "job b"), preempted(r), "a's node and b's room on n2 make room for both pod sets");
    assertAdmitted(r, "job x");
    assertEquals(Shortfall.Kind.PreemptionInProgress, waiting(r, "job small").shortfalls().getFirst().kind(),
        "small fits only where b still runs: it waits for the victims to stop, as the preemptor does");
    assertEquals(Shortfall.Kind.PreemptionInProgress, waiting(r, "job both").shortfalls().getFirst().kind());
  }

  @Test
  void equalPriorityNeverPreempts() {
    QueueModel q = queue("q").cpu(2).preemptLowerPriority().build();
    SchedulingResult r = cycle(List.of(q), List.of(job("a", "q", 1, 2).priority(5).admitted(1)), List.of(job("b", "q", 1, 2).priority(5)));
    assertEquals(Set.of(), preempted(r));
  }

  @Test
  void minimumRuntimeSparesWorkloadsThatJustStarted() {
    QueueModel q = queue("q").cpu(2).preemptLowerPriority().minimumRuntime(Duration.ofMinutes(30)).build();
    List<AdmittedWorkload> admitted = List.of(job("young", "q", 1, 2).priority(0).admitted(50));
    SchedulingResult r = cycle(List.of(q), admitted, List.of(job("urgent", "q", 1, 2).priority(10)));
    assertEquals(Set.of(), preempted(r), "admitted 10 minutes ago, under the queue's 30");
    List<AdmittedWorkload> older = List.of(job("old", "q", 1, 2).priority(0).admitted(20));
    assertEquals(Set.of("job old"), preempted(cycle(List.of(q), older, List.of(job("urgent", "q", 1, 2).priority(10)))));
  }

  @Test
  void borrowingPreemptsOnlyLowerPriorityWhereTheQueueAllowsIt() {
    SchedulerPolicy classic = new SchedulerPolicy(SchedulerPolicy.OversizedGang.Reject, false);
    List<QueueModel> queues = List.of(queue("a").cpu(0).cohort("c").borrowPreemptingLowerPriority().build(), queue("b").cpu(4).cohort("c").build(),
        queue("lender").cpu(4).cohort("c").build());
    List<AdmittedWorkload> admitted = List.of(job("b-borrows", "b", 1, 8).priority(1).admitted(1));
    SchedulingResult r = cycle(queues, admitted, List.of(job("a0", "a", 1, 4).priority(5)), BIG_HOST, classic);
    assertEquals(Set.of("job b-borrows"), preempted(r));
    assertEquals(Set.of(), preempted(cycle(queues, admitted, List.of(job("a0", "a", 1, 4).priority(5)))),
        "with fair sharing a would end at b's share now (4 of the 8 lent), so it does not preempt");
    assertEquals(PreemptionReason.CohortBorrow, ((AdmissionDecision.Preempted) r.decision("job b-borrows")).eviction().reason());
  }

  @Test
  void fairSharingConvergesToTheWeights() {
    List<QueueModel> queues = List.of(queue("light").cpu(0).cohort("c").weight(1).build(), queue("heavy").cpu(0).cohort("c").weight(2).build(),
        queue("lender").cpu(12).cohort("c").build());
    List<QueueableWorkload> pending = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      pending.add(job("light" + i, "light", 1, 1).created(i));
      pending.add(job("heavy" + i, "heavy", 1, 1).created(i));
    }
    SchedulingResult r = cycle(queues, List.of(), pending);
    assertEquals(4, r.queues().get("light").admitted());
    assertEquals(8, r.queues().get("heavy").admitted());
  }

  @Test
  void fairSharingPreemptionConvergesToTheWeights() {
    List<QueueModel> queues = List.of(queue("lender").cpu(16).cohort("c").build(),
        queue("light").cpu(0).cohort("c").weight(1).reclaim(PreemptionRules.Reclaim.Any).build(),
        queue("heavy").cpu(0).cohort("c").weight(3).reclaim(PreemptionRules.Reclaim.Any).build());
    Capacity sixteen = Capacity.host(ResourceList.of("cpu", 16_000L));
    Map<String, AdmittedWorkload> admitted = new java.util.LinkedHashMap<>();
    Map<String, QueueableWorkload> pending = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 16; i++) {
      TestingWorkload light = job("light" + i, "light", 1, 1).created(i);
      admitted.put(light.key(), light.admitted(i));
      TestingWorkload heavy = job("heavy" + i, "heavy", 1, 1).created(20 + i);
      pending.put(heavy.key(), heavy);
    }
    for (int cycle = 0; cycle < 100; cycle++) {
      SchedulingResult r = cycle(queues, List.copyOf(admitted.values()), List.copyOf(pending.values()), sixteen, SchedulerPolicy.LOCAL);
      boolean changed = false;
      for (SchedulingResult.Preempted p : r.preemptions()) {
        assertEquals(PreemptionReason.CohortFairSharing, p.eviction().reason());
        pending.put(p.victim(), admitted.remove(p.victim()).workload()); // stopped at once, queued again
        changed = true;
      }
      for (QueueableWorkload w : List.copyOf(pending.values())) {
        if (r.decision(w.key()) instanceof AdmissionDecision.Admitted a) {
          admitted.put(w.key(), new AdmittedWorkload(w, a.queue(), NOW));
          pending.remove(w.key());
          changed = true;
        }
      }
      if (!changed) {
        break;
      }
    }
    SchedulingResult end = cycle(queues, List.copyOf(admitted.values()), List.copyOf(pending.values()), sixteen, SchedulerPolicy.LOCAL);
    assertEquals(ResourceList.of("cpu", 4000L), end.queues().get("light").usage(), "1 : 3 of the 16 lent cores");
    assertEquals(ResourceList.of("cpu", 12_000L), end.queues().get("heavy").usage());
    assertEquals(Set.of(), preempted(end), "at 1 : 3 neither queue may take from the other");
  }

  @Test
  void fairSharingPreemptsFromTheQueueFurthestAboveItsShareAndNeverPartOfAGang() {
    List<QueueModel> queues = List.of(queue("lender").cpu(12).cohort("c").build(), queue("a").cpu(0).cohort("c").build(),
        queue("b").cpu(0).cohort("c").build(), queue("c").cpu(0).cohort("c").reclaim(PreemptionRules.Reclaim.Any).build());
    Capacity nodes = new Capacity(List.of(new Capacity.Node("n1", ResourceList.of("cpu", 4000L)),
        new Capacity.Node("n2", ResourceList.of("cpu", 4000L)), new Capacity.Node("n3", ResourceList.of("cpu", 4000L))), Set.of("cpu"));
    List<AdmittedWorkload> admitted = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      admitted.add(job("a" + i, "a", 1, 1).admitted(i));
    }
    for (int i = 1; i <= 3; i++) {
      admitted.add(job("b" + i, "b", 1, 1).admitted(i));
    }
    // a holds n1 and half of n2, b the rest of n2 and 1 core of n3: 3 cores free, but only one 2-core slot
    QueueableWorkload pair = job("pair", "c", 2, 2).priority(-5);
    SchedulingResult r = cycle(queues, admitted, List.of(pair), nodes, SchedulerPolicy.LOCAL);
    assertEquals(Set.of("job a6", "job a5"), preempted(r),
        "a borrows half the pool, b a quarter: a's newest go, and two of them, as both pods need a 2-core slot");
    assertEquals(PreemptionReason.CohortFairSharing, ((AdmissionDecision.Preempted) r.decision("job a6")).eviction().reason());
    assertTrue(((AdmissionDecision.Preempted) r.decision("job a6")).eviction().message()
        .contains("Queue a is further above its weighted share of the cohort than Queue c would be with it"));
    assertEquals(Shortfall.Kind.PreemptionInProgress, waiting(r, "job pair").shortfalls().get(0).kind());

    List<AdmittedWorkload> stopped = admitted.stream().filter(a -> !Set.of("job a5", "job a6").contains(a.key())).toList();
    SchedulingResult after = cycle(queues, stopped, List.of(pair), nodes, SchedulerPolicy.LOCAL);
    assertInstanceOf(AdmissionDecision.Admitted.class, after.decision("job pair"));
    assertEquals(ResourceList.of("cpu", 4000L), after.queues().get("c").usage(), "the whole gang, both pods");
  }

  @Test
  void aGangIsAdmittedWholeOrNotAtAll() {
    Capacity nodes = new Capacity(List.of(new Capacity.Node("n1", ResourceList.of("cpu", 4000L)),
        new Capacity.Node("n2", ResourceList.of("cpu", 4000L))), Set.of("cpu"));
    SchedulingResult spread = cycle(List.of(), List.of(), List.of(job("three", null, 3, 2.5)), nodes, SchedulerPolicy.LOCAL);
    assertInstanceOf(AdmissionDecision.Rejected.class, spread.decision("job three"), "7.5 cores in all, but one 2.5-core pod per node");

    List<AdmittedWorkload> admitted = List.of(job("running", null, 1, 2).admitted(0));
    SchedulingResult r = cycle(List.of(), admitted, List.of(job("pair", null, 2, 3).created(1), job("single", null, 1, 2).created(2)),
        nodes, SchedulerPolicy.LOCAL);
    assertEquals(Shortfall.Kind.InsufficientCapacity, waiting(r, "job pair").shortfalls().get(0).kind());
    assertAdmitted(r, "job running", "job single");
  }

  @Test
  void admittedWorkloadsAreCountedWhereTheyRunAndAdmissionsSayWhere() {
    Capacity nodes = new Capacity(List.of(new Capacity.Node("n1", ResourceList.of("cpu", 4000L)),
        new Capacity.Node("n2", ResourceList.of("cpu", 4000L))), Set.of("cpu"));
    SchedulingResult first = cycle(List.of(), List.of(job("a", null, 1, 2).admitted(0)), List.of(job("b", null, 1, 2).created(1)),
        nodes, SchedulerPolicy.CLUSTER);
    assertEquals(Map.of("job b", List.of("n1")), first.placements(), "counted on the first node with room, beside a");

    List<AdmittedWorkload> spread = List.of(job("a", null, 1, 2).admitted(0).on(List.of("n1")),
        job("b", null, 1, 2).admitted(1).on(List.of("n2")));
    TestingWorkload node = job("node", null, 1, 4).created(2);
    assertEquals(Shortfall.Kind.InsufficientCapacity,
        waiting(cycle(List.of(), spread, List.of(node), nodes, SchedulerPolicy.CLUSTER), "job node").shortfalls().get(0).kind(),
        "half of each node is taken where a and b run");
    List<AdmittedWorkload> unknown = spread.stream().map(a -> a.on(List.of())).toList();
    assertEquals(Map.of("job node", List.of("n2")), cycle(List.of(), unknown, List.of(node), nodes, SchedulerPolicy.CLUSTER).placements(),
        "where they run is not known: both are counted on n1");
    List<AdmittedWorkload> gone = List.of(spread.get(0), spread.get(1).on(List.of("n9")));
    assertEquals(Map.of("job node", List.of("n2")), cycle(List.of(), gone, List.of(node), nodes, SchedulerPolicy.CLUSTER).placements(),
        "a node that is not in the capacity any more: counted on the first with room");

    SchedulingResult gang = cycle(List.of(), List.of(), List.of(job("pair", null, 2, 3).created(0)), nodes, SchedulerPolicy.CLUSTER);
    assertEquals(Map.of("job pair", List.of("n1", "n2")), gang.placements());
  }

  @Test
  void workloadsWhoseNodesAreKnownAreCountedBeforeThoseCountedFirstFit() {
    Capacity nodes = new Capacity(List.of(new Capacity.Node("n1", ResourceList.of("cpu", 4000L)),
        new Capacity.Node("n2", ResourceList.of("cpu", 4000L))), Set.of("cpu"));
    // "unknown" was admitted first and its node is not known; "known" fills n1, so "unknown" runs on n2
    List<AdmittedWorkload> admitted = List.of(job("unknown", null, 1, 2).admitted(0),
        job("known", null, 1, 4).admitted(1).on(List.of("n1")));
    SchedulingResult r = cycle(List.of(), admitted, List.of(job("node", null, 1, 4).created(2)), nodes, SchedulerPolicy.CLUSTER);
    assertEquals(Shortfall.Kind.InsufficientCapacity, waiting(r, "job node").shortfalls().get(0).kind(),
        "n1 is full where known runs, so unknown is counted on n2: " + r.placements());
  }

  @Test
  void resourcesNeitherTheQueueNorTheHostCountAreLeftAlone() {
    QueueableWorkload storage = new TestingWorkload("job storage", "team", Optional.of("q"), Optional.empty(), Optional.empty(), T0,
        List.of(new PodSet("worker", 2, ResourceList.of("cpu", 1000L, "ephemeral-storage", 10L << 30))));
    SchedulingResult r = cycle(List.of(queue("q").cpu(4).build()), List.of(), List.of(storage),
        Capacity.host(ResourceList.of("cpu", 4000L, "memory", 1L << 33)), SchedulerPolicy.LOCAL);
    assertAdmitted(r, "job storage");
  }

  @Test
  void misnamedQueuesAndClassesWaitWithTheirReason() {
    QueueModel onlyA = new QueueModel("team-a-only", 1, new dev.capstan.api.queue.NamespaceMatch(Optional.of(Set.of("team-a")), Map.of()),
        Optional.empty(), dev.capstan.api.queue.QueueingStrategy.BestEffortFIFO, Map.of(), false, PreemptionRules.NEVER, 1, StopPolicy.None,
        Duration.ZERO);
    SchedulingResult r = cycle(List.of(onlyA), List.of(), List.of(job("lost", "nowhere", 1, 1), job("foreign", "team-a-only", 1, 1).in("team-b"),
        job("classless", null, 1, 1).priorityClass("missing"), job("unqueued", null, 1, 1).in("team-a")));
    assertEquals(Shortfall.about(Shortfall.Kind.QueueNotFound, "nowhere"), waiting(r, "job lost").shortfalls().get(0));
    assertEquals(Shortfall.about(Shortfall.Kind.NamespaceNotServed, "team-a-only"), waiting(r, "job foreign").shortfalls().get(0));
    assertEquals(Shortfall.about(Shortfall.Kind.PriorityClassNotFound, "missing"), waiting(r, "job classless").shortfalls().get(0));
    assertEquals("no Queue named 'nowhere'", waiting(r, "job lost").reason());
    assertEquals("team-a-only", ((AdmissionDecision.Admitted) r.decision("job unqueued")).queue(),
        "a job without a queue goes to the queue that lists its namespace");
  }

  @Test
  void stopPoliciesHoldAndDrain() {
    SchedulingResult held = cycle(List.of(queue("q").cpu(4).stop(StopPolicy.Hold).build()),
        List.of(job("running", "q", 1, 1).admitted(0)), List.of(job("next", "q", 1, 1)));
    assertAdmitted(held, "job running");
    assertEquals(Shortfall.Kind.QueueHeld, waiting(held, "job next").shortfalls().get(0).kind());
    SchedulingResult drained = cycle(List.of(queue("q").cpu(4).stop(StopPolicy.HoldAndDrain).build()),
        List.of(job("running", "q", 1, 1).admitted(0)), List.of());
    assertEquals(PreemptionReason.QueueDrained, ((AdmissionDecision.Preempted) drained.decision("job running")).eviction().reason());
  }

  @Test
  void theOrderOfTheSnapshotsListsChangesNothing() {
    List<QueueModel> queues = List.of(queue("a").cpu(3).cohort("c").build(), queue("b").cpu(3).cohort("c").build());
    List<QueueableWorkload> pending = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      pending.add(job("a" + i, "a", 1, 1).created(i % 3).priority(i % 2));
      pending.add(job("b" + i, "b", 1, 1).created(i % 4));
    }
    Map<String, AdmissionDecision> first = cycle(queues, List.of(), pending).decisions();
    List<QueueableWorkload> shuffled = new ArrayList<>(pending);
    Collections.shuffle(shuffled, new Random(7));
    List<QueueModel> reversed = new ArrayList<>(queues);
    Collections.reverse(reversed);
    assertEquals(first, cycle(reversed, List.of(), shuffled).decisions());
  }

  private static SchedulingResult cycle(List<QueueModel> queues, List<AdmittedWorkload> admitted, List<? extends QueueableWorkload> pending) {
    return cycle(queues, admitted, pending, BIG_HOST, SchedulerPolicy.LOCAL);
  }

  private static SchedulingResult cycle(List<QueueModel> queues, List<AdmittedWorkload> admitted, List<? extends QueueableWorkload> pending,
      Capacity capacity, SchedulerPolicy policy) {
    return SchedulingCycle.run(new SchedulingSnapshot(NOW, queues, Map.of("urgent", 1000), Map.of(), admitted,
        List.copyOf(pending), capacity), policy);
  }

  private static AdmittedWorkload evicting(AdmittedWorkload a) {
    return new AdmittedWorkload(a.workload(), a.queue(), a.admittedAt(),
        Optional.of(new Eviction(Optional.empty(), PreemptionReason.CohortReclaim, "stopping")));
  }

  private static void assertAdmitted(SchedulingResult r, String... keys) {
    Set<String> admitted = r.decisions().entrySet().stream().filter(e -> e.getValue() instanceof AdmissionDecision.Admitted)
        .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(new TreeSet<>(List.of(keys)), admitted, () -> "decisions: " + r.decisions());
  }

  private static Set<String> preempted(SchedulingResult r) {
    return r.decisions().entrySet().stream().filter(e -> e.getValue() instanceof AdmissionDecision.Preempted)
        .map(Map.Entry::getKey).collect(Collectors.toSet());
  }

  private static AdmissionDecision.Waiting waiting(SchedulingResult r, String key) {
    return assertInstanceOf(AdmissionDecision.Waiting.class, r.decision(key), () -> key + ": " + r.decision(key));
  }
}
