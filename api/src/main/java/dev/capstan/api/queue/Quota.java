package dev.capstan.api.queue;

import java.util.OptionalLong;

/**
 * One resource's validated quota in a queue, in the resource's whole units (millicores for
 * {@code cpu}, bytes for memory, devices for GPUs; see {@link ResourceUnits}).
 */
public record Quota(long nominal, OptionalLong borrowingLimit, OptionalLong lendingLimit) {
  public static Quota nominal(long amount) {
    return new Quota(amount, OptionalLong.empty(), OptionalLong.empty());
  }

  /** What of the nominal quota the cohort may use. */
  public long lendable() {
    return lendingLimit.orElse(nominal);
  }

  /** What of the nominal quota only this queue may use. */
  public long guaranteed() {
    return nominal - lendable();
  }
}
