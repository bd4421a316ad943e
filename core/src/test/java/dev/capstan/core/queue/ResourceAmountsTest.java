package dev.capstan.core.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Resource arithmetic never wraps: an overflow is an error, not a negative amount that fits anywhere. */
class ResourceAmountsTest {
  /** 465458732Gi, the request that wrapped negative over 20 replicas and was admitted. */
  private static final ResourceAmounts HUGE = new ResourceAmounts(0, 465458732L << 30, 0);

  @Test
  void timesOverflowIsAnError() {
    assertThrows(ArithmeticException.class, () -> HUGE.times(20));
    assertEquals(new ResourceAmounts(0, 465458732L << 31, 0), HUGE.times(2));
  }

  @Test
  void plusAndMinusOverflowAreErrors() {
    ResourceAmounts max = new ResourceAmounts(Long.MAX_VALUE, 0, 0);
    assertThrows(ArithmeticException.class, () -> max.plus(new ResourceAmounts(1, 0, 0)));
    assertThrows(ArithmeticException.class, () -> new ResourceAmounts(0, 0, Long.MIN_VALUE).minus(new ResourceAmounts(0, 0, 1)));
  }
}
