package dev.capstan.core.serving;

import dev.capstan.api.serving.PredictorTemplate;
import dev.capstan.api.serving.RevisionStatus;
import dev.capstan.api.validation.InvalidSpecException;
import java.util.Objects;
import java.util.Optional;

/**
 * One revision as the planner works with it: read from {@code status.revisions[]}, updated with
 * what was observed and decided, written back. {@code previousTraffic} is the share it had in the
 * recorded status, so a revision that just lost its traffic keeps its replicas for one more pass.
 */
record RevisionRecord(String name, int number, long generation, String createdAt, RevisionState state,
    PredictorTemplate template, String storageUri, Optional<String> modelVersion, int desired, int ready, int traffic,
    int previousTraffic, Optional<RevisionStatus.RevisionFailure> lastFailure) {

  RevisionRecord {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(storageUri, "storageUri");
    Objects.requireNonNull(modelVersion, "modelVersion");
    Objects.requireNonNull(lastFailure, "lastFailure");
  }

  /** Reads a recorded revision; empty when the record is not one of this service's or cannot be read. */
  static Optional<RevisionRecord> read(String service, RevisionStatus s, int index) {
    var number = dev.capstan.api.serving.RevisionNames.number(service, s.getName());
    if (number.isEmpty() || s.getPredictor() == null || s.getStorageUri() == null) {
      return Optional.empty();
    }
    PredictorTemplate template;
    try {
      template = PredictorTemplate.from(s.getPredictor(), "status.revisions[" + index + "].predictor");
    } catch (InvalidSpecException e) {
      return Optional.empty();
    }
    int traffic = s.getTrafficPercent() == null ? 0 : s.getTrafficPercent();
    return Optional.of(new RevisionRecord(s.getName(), number.getAsInt(), s.getGeneration() == null ? 0 : s.getGeneration(),
        s.getCreatedAt(), RevisionState.parse(s.getState()), template, s.getStorageUri(), Optional.ofNullable(s.getModelVersion()),
        s.getDesiredReplicas() == null ? 0 : s.getDesiredReplicas(), s.getReadyReplicas() == null ? 0 : s.getReadyReplicas(),
        traffic, traffic, Optional.ofNullable(s.getLastFailure())));
  }

  RevisionStatus toStatus() {
    RevisionStatus s = new RevisionStatus();
    s.setName(name);
    s.setGeneration(generation);
    s.setCreatedAt(createdAt);
    s.setState(state.name());
    s.setStorageUri(storageUri);
    s.setModelVersion(modelVersion.orElse(null));
    s.setDesiredReplicas(desired);
    s.setReadyReplicas(ready);
    s.setTrafficPercent(traffic);
    s.setLastFailure(lastFailure.orElse(null));
    s.setPredictor(template.toSpec());
    return s;
  }

  RevisionKey key(ServiceKey service) {
    return new RevisionKey(service.namespace(), service.name(), name);
  }

  RevisionTemplate revisionTemplate(ServiceKey service) {
    return new RevisionTemplate(key(service), template, storageUri, modelVersion);
  }

  /** Whether this revision runs exactly what a predictor with this template and resolved source asks for. */
  boolean runs(PredictorTemplate wanted, String resolvedUri) {
    return template.equals(wanted) && storageUri.equals(resolvedUri);
  }

  /** Whether it lost its traffic in this pass (its replicas stay one more pass while the gateway moves away). */
  boolean draining() {
    return traffic == 0 && previousTraffic > 0;
  }

  /**
   * The revision after an observation: its state, ready replicas, and the failure seen (a failure
   * with the same reason and message as the recorded one keeps the recorded time, so a backend
   * reporting it again does not rewrite the status).
   */
  RevisionRecord observed(RevisionState nextState, int readyReplicas, Optional<RevisionStatus.RevisionFailure> failure) {
    Optional<RevisionStatus.RevisionFailure> last = failure
        .filter(f -> lastFailure.isEmpty() || !Objects.equals(f.getReason(), lastFailure.get().getReason())
            || !Objects.equals(f.getMessage(), lastFailure.get().getMessage()))
        .or(() -> lastFailure);
    return new RevisionRecord(name, number, generation, createdAt, nextState, template, storageUri, modelVersion, desired,
        readyReplicas, traffic, previousTraffic, last);
  }

  RevisionRecord withTraffic(int percent) {
    return new RevisionRecord(name, number, generation, createdAt, state, template, storageUri, modelVersion, desired, ready,
        percent, previousTraffic, lastFailure);
  }

  RevisionRecord withState(RevisionState next) {
    return new RevisionRecord(name, number, generation, createdAt, next, template, storageUri, modelVersion, desired, ready,
        traffic, previousTraffic, lastFailure);
  }

  RevisionRecord withDesired(int replicas) {
    return new RevisionRecord(name, number, generation, createdAt, state, template, storageUri, modelVersion, replicas, ready,
        traffic, previousTraffic, lastFailure);
  }
}
