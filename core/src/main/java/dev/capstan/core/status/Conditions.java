package dev.capstan.core.status;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** metav1.Condition bookkeeping: the transition time moves only when the status flips. */
public final class Conditions {
  private Conditions() {}

  public static List<Condition> set(List<Condition> current, String type, boolean status, Enum<?> reason,
      String message, Instant now, long generation) {
    List<Condition> next = new ArrayList<>();
    boolean found = false;
    for (Condition c : current) {
      if (c.getType().equals(type)) {
        found = true;
        next.add(updated(c, status, reason, message, now, generation));
      } else {
        next.add(c);
      }
    }
    if (!found) {
      next.add(new Condition(now.toString(), message, generation, reason.name(), status ? "True" : "False", type));
    }
    return next;
  }

  /** Marks a condition False if it is present and True; absent conditions stay absent. */
  public static List<Condition> clear(List<Condition> current, String type, Enum<?> reason, String message,
      Instant now, long generation) {
    return find(current, type).filter(c -> "True".equals(c.getStatus())).isPresent()
        ? set(current, type, false, reason, message, now, generation)
        : current;
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions == null ? Optional.empty() : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  private static Condition updated(Condition c, boolean status, Enum<?> reason, String message, Instant now, long generation) {
    String s = status ? "True" : "False";
    String transition = s.equals(c.getStatus()) ? c.getLastTransitionTime() : now.toString();
    return new Condition(transition, message, generation, reason.name(), s, c.getType());
  }
}
