package dev.capstan.api.serving;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as manifests write them: a number and one unit, {@code 500us}, {@code 2ms}, {@code 60s}, {@code 1m}, {@code 1h}. */
public final class DurationText {
  private static final Pattern TEXT = Pattern.compile("([0-9]{1,9}(?:\\.[0-9]{1,9})?)(us|ms|s|m|h)");

  private DurationText() {}

  /** The duration, or empty when the text is not one. */
  public static Optional<Duration> parse(String text) {
    Matcher m = text == null ? null : TEXT.matcher(text.strip());
    if (m == null || !m.matches()) {
      return Optional.empty();
    }
    BigDecimal nanosPerUnit = BigDecimal.valueOf(switch (m.group(2)) {
      case "us" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      default -> 3_600_000_000_000L;
    });
    return Optional.of(Duration.ofNanos(new BigDecimal(m.group(1)).multiply(nanosPerUnit).longValue()));
  }

  /** The shortest exact text for a duration: {@code 60s}, {@code 2ms}, {@code 500us}, {@code 0s}. */
  public static String format(Duration d) {
    long nanos = d.toNanos();
    if (nanos % 1_000_000_000L == 0) {
      return nanos / 1_000_000_000L + "s";
    }
    if (nanos % 1_000_000L == 0) {
      return nanos / 1_000_000L + "ms";
    }
    return BigDecimal.valueOf(nanos).movePointLeft(3).stripTrailingZeros().toPlainString() + "us";
  }
}
