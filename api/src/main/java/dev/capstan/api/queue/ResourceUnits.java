package dev.capstan.api.queue;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/**
 * Whole units that queues count resources in: millicores for {@code cpu}, and the quantity itself
 * (bytes, devices) for every other resource, rounded up. Bounded by {@link #MAX_CPU_MILLIS} and
 * {@link #MAX_AMOUNT} so that sums over thousands of workloads stay far from overflow.
 */
public final class ResourceUnits {
  public static final String CPU = "cpu";
  public static final String MEMORY = "memory";
  public static final String GPU = "nvidia.com/gpu";
  /** One million cores, as TrainingJob limits a job's total. */
  public static final long MAX_CPU_MILLIS = 1_000_000_000L;
  /** 1Ei of memory or of any other resource. */
  public static final long MAX_AMOUNT = 1L << 60;
  /** A resource name as Kubernetes writes them: an optional DNS prefix and a name. */
  private static final Pattern NAME = Pattern.compile("([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");

  private ResourceUnits() {}

  /** The amount in whole units, rounded up; an unreadable quantity throws IllegalArgumentException. */
  public static BigDecimal exact(String resource, Quantity q) {
    BigDecimal amount = Quantity.getAmountInBytes(q);
    return CPU.equals(resource) ? amount.multiply(BigDecimal.valueOf(1000)) : amount;
  }

  public static long whole(BigDecimal exact) {
    return exact.setScale(0, RoundingMode.CEILING).longValueExact();
  }

  public static long max(String resource) {
    return CPU.equals(resource) ? MAX_CPU_MILLIS : MAX_AMOUNT;
  }

  public static boolean validName(String resource) {
    return resource != null && resource.length() <= 253 && NAME.matcher(resource).matches();
  }

  /** A whole amount as a quantity users read: {@code 1500m}, {@code 2}, {@code 16Gi}. */
  public static String format(String resource, long amount) {
    if (CPU.equals(resource)) {
      return amount % 1000 == 0 ? Long.toString(amount / 1000) : amount + "m";
    }
    if (amount != 0 && MEMORY.equals(resource)) {
      String[] suffixes = {"Ei", "Pi", "Ti", "Gi", "Mi", "Ki"};
      for (int i = 0; i < suffixes.length; i++) {
        long unit = 1L << (10 * (6 - i));
        if (amount % unit == 0) {
          return amount / unit + suffixes[i];
        }
      }
    }
    return Long.toString(amount);
  }
}
