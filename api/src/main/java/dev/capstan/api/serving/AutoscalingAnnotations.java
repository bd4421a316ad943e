package dev.capstan.api.serving;

import dev.capstan.api.validation.Errors;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Knative annotations KServe users write to tune autoscaling ({@code autoscaling.knative.dev/*}),
 * read as overrides where the spec gives no field. An annotation Capstan cannot honour (another
 * autoscaler class, an unknown key) is an error at its path, never ignored.
 */
final class AutoscalingAnnotations {
  static final String PREFIX = "autoscaling.knative.dev/";
  static final String KPA_CLASS = "kpa.autoscaling.knative.dev";
  /** Every key read (without the prefix); older camel-case forms beside the current ones. */
  static final List<String> KEYS = List.of("class", "metric", "target", "min-scale", "minScale", "max-scale", "maxScale",
      "window", "panic-window-percentage", "panic-threshold-percentage", "target-utilization-percentage",
      "max-scale-up-rate", "max-scale-down-rate", "scale-to-zero-grace-period");
  private static final int MAX_VALUE = 64;

  private final Map<String, String> values = new TreeMap<>();
  private final Errors errors;

  AutoscalingAnnotations(Map<String, String> annotations, Errors errors) {
    this.errors = errors;
    if (annotations == null) {
      return;
    }
    annotations.forEach((key, value) -> {
      if (!key.startsWith(PREFIX)) {
        return;
      }
      String name = key.substring(PREFIX.length());
      if (!KEYS.contains(name)) {
        errors.add(path(name), "not supported (Capstan reads " + PREFIX + "{" + String.join(", ", KEYS) + "})");
      } else if (value == null || value.isBlank() || value.length() > MAX_VALUE) {
        errors.add(path(name), "must be a value of at most " + MAX_VALUE + " characters");
      } else {
        values.put(name, value.strip());
      }
    });
    text("class").filter(c -> !c.value().equals(KPA_CLASS)).ifPresent(c -> errors.add(c.path(),
        "only the " + KPA_CLASS + " autoscaler is supported (is '" + c.value() + "')"));
  }

  static String path(String name) {
    return "metadata.annotations[" + PREFIX + name + "]";
  }

  Optional<Given<String>> text(String name) {
    return Given.at(path(name), values.get(name));
  }

  /** The first of these keys that is given, as a whole number. */
  Optional<Given<Integer>> integer(String... names) {
    for (String name : names) {
      Optional<Given<BigDecimal>> n = decimal(name);
      if (n.isPresent()) {
        BigDecimal v = n.get().value();
        if (v.stripTrailingZeros().scale() > 0 || v.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0
            || v.compareTo(BigDecimal.valueOf(Integer.MIN_VALUE)) < 0) {
          errors.add(n.get().path(), "must be a whole number (is '" + values.get(name) + "')");
          return Optional.empty();
        }
        return Optional.of(new Given<>(n.get().path(), v.intValueExact()));
      }
    }
    return Optional.empty();
  }

  Optional<Given<Double>> number(String name) {
    return decimal(name).map(d -> new Given<>(d.path(), d.value().doubleValue()));
  }

  private Optional<Given<BigDecimal>> decimal(String name) {
    return text(name).flatMap(t -> {
      try {
        return Optional.of(new Given<>(t.path(), new BigDecimal(t.value())));
      } catch (NumberFormatException e) {
        errors.add(t.path(), "must be a number (is '" + t.value() + "')");
        return Optional.empty();
      }
    });
  }
}
