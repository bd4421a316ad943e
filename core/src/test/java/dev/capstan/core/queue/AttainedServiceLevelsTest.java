package dev.capstan.core.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class AttainedServiceLevelsTest {
  private final AttainedServiceLevels twoQueues = new AttainedServiceLevels(List.of(3600L), 2);

  @Test
  void lessServiceMeansHigherPriority() {
    AttainedServiceLevels three = new AttainedServiceLevels(List.of(100L, 1000L), 0);
    assertEquals(3, three.levels());
    assertEquals(2, three.priority(0));
    assertEquals(2, three.priority(99.9));
    assertEquals(1, three.priority(100));
    assertEquals(1, three.priority(999));
    assertEquals(0, three.priority(1000));
    assertEquals(0, three.priority(1e9));
  }

  @Test
  void aRunningWorkloadDropsALevelWhenItsGpuSecondsReachTheThreshold() {
    // 4 GPUs with 1,600 GPU-seconds: 2,000 more GPU-seconds is 500 s away.
    assertEquals(OptionalDouble.of(500), twoQueues.secondsToNextLevel(1600, 4));
    assertEquals(OptionalDouble.empty(), twoQueues.secondsToNextLevel(3600, 4));
  }

  @Test
  void aWorkloadBelowTheTopThatWaitedTwiceWhatItRanGoesBackUp() {
    // It ran 1,000 s on 4 GPUs (4,000 GPU-seconds, the second level).
    assertFalse(twoQueues.starved(4000, 1000, 1999));
    assertTrue(twoQueues.starved(4000, 1000, 2000));
    assertEquals(OptionalDouble.of(1500), twoQueues.secondsToStarvation(4000, 1000, 500));
    // At the top level, or without the guard, never.
    assertFalse(twoQueues.starved(100, 1000, 1e9));
    assertEquals(OptionalDouble.empty(), twoQueues.secondsToStarvation(100, 1000, 0));
    assertFalse(new AttainedServiceLevels(List.of(3600L), 0).starved(4000, 1000, 1e9));
  }

  @Test
  void thresholdsMustAscend() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new AttainedServiceLevels(List.of(10L, 10L), 1))
        .getMessage().contains("ascending"));
    assertThrows(IllegalArgumentException.class, () -> new AttainedServiceLevels(List.of(0L), 1));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new AttainedServiceLevels(List.of(10L), -1))
        .getMessage().contains("starvationFactor"));
  }
}
