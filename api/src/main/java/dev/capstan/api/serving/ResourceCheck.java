package dev.capstan.api.serving;

import dev.capstan.api.validation.Errors;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.util.Map;

/** Checks a replica's {@code resources}: every quantity valid, non-negative and within the limits. */
final class ResourceCheck {
  private static final int MAX_ENTRIES = 16;

  private ResourceCheck() {}

  static void check(Errors errors, String path, ResourceRequirements resources) {
    if (resources == null) {
      return;
    }
    quantities(errors, path + ".limits", resources.getLimits());
    quantities(errors, path + ".requests", resources.getRequests());
    if (resources.getClaims() != null && !resources.getClaims().isEmpty()) {
      errors.add(path + ".claims", "resource claims are not supported");
    }
  }

  private static void quantities(Errors errors, String path, Map<String, Quantity> values) {
    if (values == null || !errors.atMostEntries(path, values.size(), MAX_ENTRIES)) {
      return;
    }
    values.forEach((name, q) -> {
      BigDecimal amount;
      try {
        amount = q == null ? null : Quantity.getAmountInBytes(q);
      } catch (IllegalArgumentException | ArithmeticException e) {
        errors.add(path + "." + name, "'" + q + "' is not a valid quantity");
        return;
      }
      BigDecimal max = "cpu".equals(name) ? InferenceServiceLimits.MAX_CPU : InferenceServiceLimits.MAX_AMOUNT;
      if (amount == null || amount.signum() < 0) {
        errors.add(path + "." + name, "must be a non-negative quantity");
      } else if (amount.compareTo(max) > 0) {
        errors.add(path + "." + name, "must be at most " + ("cpu".equals(name) ? max.toPlainString() : "1Ei") + " (is " + q + ")");
      }
    });
  }
}
