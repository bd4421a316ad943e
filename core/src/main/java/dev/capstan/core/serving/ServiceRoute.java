package dev.capstan.core.serving;

import java.util.List;
import java.util.Objects;

/**
 * A service's entry in the gateway's route table: the revisions that take traffic and their
 * percents, which add up to 100 (a service with no revision taking traffic has no entry).
 */
public record ServiceRoute(ServiceKey key, List<RevisionRoute> revisions) {
  public ServiceRoute {
    Objects.requireNonNull(key, "key");
    revisions = List.copyOf(revisions);
    int total = 0;
    for (RevisionRoute r : revisions) {
      if (!r.key().serviceKey().equals(key)) {
        throw new IllegalArgumentException("revision " + r.key() + " is not a revision of " + key);
      }
      total += r.percent();
    }
    if (total != 100) {
      throw new IllegalArgumentException("traffic of " + key + " adds up to " + total + " %, not 100 %");
    }
  }
}
