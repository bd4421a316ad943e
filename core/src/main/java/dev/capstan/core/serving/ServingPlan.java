package dev.capstan.core.serving;

import dev.capstan.api.serving.InferenceServiceStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one pass over a service decided: the revision changes to make, the service's entry in the
 * gateway's route table (empty: no revision takes traffic), the status to record, whether the
 * service itself should now be removed, and when to look again at the latest.
 */
public record ServingPlan(List<RevisionAction> actions, Optional<ServiceRoute> route, InferenceServiceStatus status,
    boolean removeService, Optional<Duration> requeueAfter) {
  public ServingPlan {
    actions = List.copyOf(actions);
  }
}
