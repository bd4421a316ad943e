package dev.capstan.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.capstan.core.queue.QueueableWorkload;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which waiting jobs a cycle is shown: those that could be admitted or take a victim, worked out by hand. */
class PendingJobsTest {
  private static final Instant T0 = Instant.parse("2017-10-09T00:00:00Z");

  @Test
  void ofEachPriorityAndSizeAsManyAsTheFreeGpusAndTheVictimsBelowCouldServe() {
    PendingJobs pending = new PendingJobs(Optional.empty());
    int id = 0;
    for (int i = 0; i < 10; i++) {
      pending.add(job(id++, 1, 3), 0);   // top priority, 1 GPU
      pending.add(job(id++, 4, 3), 0);   // top priority, 4 GPUs
      pending.add(job(id++, 1, 2), 0);   // priority 2, 1 GPU
      pending.add(job(id++, 2, 0), 0);   // priority 0, 2 GPUs: can take no victim
    }
    // 2 GPUs free; running jobs that may be preempted at priorities 0, 1, 1 and 2.
    List<QueueableWorkload> shown = pending.actionable(2, new int[] {0, 1, 1, 2});
    // priority 3, 1 GPU: 2 free + 4 victims below 3 = 6; priority 3, 4 GPUs: 0 + 4 = 4;
    // priority 2, 1 GPU: 2 + 3 victims below 2 (0, 1, 1) = 5; priority 0 (no victim below it, none
    // above the lowest preemptible): only what fits the free GPUs, one job of 2
    assertEquals(6, count(shown, 1, 3));
    assertEquals(4, count(shown, 4, 3));
    assertEquals(5, count(shown, 1, 2));
    assertEquals(1, count(shown, 2, 0));
    assertEquals(16, shown.size());
    // the first of each kind in queue order: oldest first
    assertEquals("job 0000000", shown.getFirst().key());
  }

  @Test
  void withNothingToPreemptOnlyWhatFitsTheFreeGpusIsShown() {
    PendingJobs pending = new PendingJobs(Optional.empty());
    for (int i = 0; i < 5; i++) {
      pending.add(job(i, 2, 1), 0);
    }
    assertEquals(2, pending.actionable(4, new int[0]).size());
    assertEquals(0, pending.actionable(1, new int[0]).size());
  }

  private static SimulatedJob job(int id, int gpus, int priority) {
    SimulatedJob j = new SimulatedJob(new TraceJob(id, 0, 100, gpus), T0.plusSeconds(id), 8);
    j.priority(Optional.of(priority));
    return j;
  }

  private static long count(List<QueueableWorkload> shown, int gpus, int priority) {
    return shown.stream().map(w -> (SimulatedJob) w).filter(j -> j.trace.gpus() == gpus && j.priority().orElseThrow() == priority).count();
  }
}
