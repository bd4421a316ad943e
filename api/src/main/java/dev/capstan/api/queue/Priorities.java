package dev.capstan.api.queue;

import dev.capstan.api.training.QueueRequest;
import dev.capstan.api.validation.Errors;
import dev.capstan.api.validation.FieldError;
import dev.capstan.api.validation.InvalidSpecException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Workload priorities: a number given directly ({@code spec.priority}) or through a
 * {@link WorkloadPriorityClass}; the range is Kubernetes' for user priority classes.
 */
public final class Priorities {
  public static final int MIN = QueueRequest.MIN_PRIORITY;
  public static final int MAX = QueueRequest.MAX_PRIORITY;
  /** A workload that names neither a priority nor a class. */
  public static final int DEFAULT = 0;

  private Priorities() {}

  /** A priority class's value, checked; throws InvalidSpecException with field paths. */
  public static int value(WorkloadPriorityClass pc) {
    Errors errors = new Errors();
    errors.dnsLabel("metadata.name", pc.getMetadata() == null ? null : pc.getMetadata().getName(), 253);
    WorkloadPriorityClassSpec spec = pc.getSpec();
    if (spec == null || spec.getValue() == null) {
      errors.add("spec.value", "required (an integer from " + MIN + " to " + MAX + ")");
    } else {
      errors.between("spec.value", spec.getValue(), MIN, MAX);
    }
    errors.atMostChars("spec.description", spec == null ? null : spec.getDescription(), 2048);
    errors.throwIfAny();
    return spec.getValue();
  }

  /**
   * A workload's priority: {@code spec.priority} when given, else its class's value; a class that
   * does not exist is an error at {@code spec.priorityClassName}.
   */
  public static int resolve(Optional<Integer> priority, Optional<String> className, Map<String, Integer> classes) {
    if (priority.isPresent()) {
      return priority.get();
    }
    if (className.isEmpty()) {
      return DEFAULT;
    }
    Integer value = classes.get(className.get());
    if (value == null) {
      throw new InvalidSpecException(List.of(new FieldError("spec.priorityClassName",
          "no WorkloadPriorityClass named '" + className.get() + "'")));
    }
    return value;
  }
}
