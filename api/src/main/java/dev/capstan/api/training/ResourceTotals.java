package dev.capstan.api.training;

import dev.capstan.api.validation.Errors;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a whole job asks for per resource (each group's replica demand times its count), checked
 * against {@link TrainingJobLimits}: admission sums these amounts in 64-bit integers, so a job
 * past the bound is refused here, with the path of the group that went over, rather than wrapping.
 */
final class ResourceTotals {
  /** Group path to its per-resource total (count × what one replica asks for). */
  private final Map<String, Map<String, BigDecimal>> groups = new LinkedHashMap<>();

  void add(String groupPath, int count, Map<String, BigDecimal> perReplica) {
    Map<String, BigDecimal> group = groups.computeIfAbsent(groupPath, p -> new TreeMap<>());
    BigDecimal n = BigDecimal.valueOf(count);
    perReplica.forEach((resource, amount) -> group.merge(resource, amount.multiply(n), BigDecimal::add));
  }

  void check(Errors errors) {
    Map<String, BigDecimal> job = new TreeMap<>();
    Set<String> reported = new HashSet<>();
    groups.forEach((path, group) -> group.forEach((resource, amount) -> {
      if (amount.compareTo(TrainingJobLimits.maxAmount(resource)) > 0) {
        errors.add(path, "asks for " + amount.toPlainString() + " " + unit(resource) + " in all (count × every container); "
            + "a job may ask for at most " + TrainingJobLimits.describeMax(resource) + " of " + resource);
        reported.add(resource);
      }
      job.merge(resource, amount, BigDecimal::add);
    }));
    job.forEach((resource, amount) -> {
      if (!reported.contains(resource) && amount.compareTo(TrainingJobLimits.maxAmount(resource)) > 0) {
        errors.add("spec.replicas", "the job asks for " + amount.toPlainString() + " " + unit(resource) + " in all; "
            + "a job may ask for at most " + TrainingJobLimits.describeMax(resource) + " of " + resource);
      }
    });
  }

  private static String unit(String resource) {
    return switch (resource) {
      case "cpu" -> "cores of cpu";
      case "memory", "ephemeral-storage" -> "bytes of " + resource;
      default -> "of " + resource;
    };
  }
}
