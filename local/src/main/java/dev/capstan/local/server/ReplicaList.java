package dev.capstan.local.server;

import dev.capstan.core.training.Observed;
import dev.capstan.core.training.ReplicaObservation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A TrainingJob's replicas as the local backend sees them now, what {@code GET …/trainingjobs/NAME/replicas}
 * answers (the local counterpart of listing a job's pods): per replica its name, phase, attempt,
 * exit code once it ended and, when its command could not be executed, why.
 */
final class ReplicaList {
  private ReplicaList() {}

  static Map<String, Object> of(Observed observed) {
    List<Map<String, Object>> items = new ArrayList<>();
    observed.replicas().values().stream()
        .sorted(java.util.Comparator.comparing((ReplicaObservation o) -> o.id().shortName()))
        .forEach(o -> {
          Map<String, Object> item = new LinkedHashMap<>();
          item.put("name", o.id().shortName());
          item.put("phase", o.phase().name());
          item.put("attempt", o.attempt());
          o.exitCode().ifPresent(code -> item.put("exitCode", code));
          o.commandProblem().ifPresent(problem -> item.put("commandProblem", problem));
          items.add(item);
        });
    return Map.of("items", items);
  }
}
