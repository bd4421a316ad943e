package dev.capstan.core.serving;

import dev.capstan.api.serving.InferenceService;
import java.util.List;

/**
 * Port: where a service's revisions run (OS processes locally, a Deployment per revision in a
 * cluster).
 *
 * <p>Contract: {@code observe} reads and never changes anything; it reports every revision of the
 * service that has or had replicas, with the replicas it was last told to run, those ready (with
 * their endpoints) and, when the revision cannot become ready (the model failed to load, a replica
 * keeps crashing), a failure with a reason. Both actions are idempotent, so a pass interrupted half
 * way can simply be repeated; a scale-down drains the replicas it stops.
 */
public interface ServingBackend {
  ObservedRevisions observe(InferenceService service);

  void apply(InferenceService service, List<RevisionAction> actions);
}
