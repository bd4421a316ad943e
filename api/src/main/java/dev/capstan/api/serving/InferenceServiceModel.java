package dev.capstan.api.serving;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * An immutable, validated InferenceService. Built once at the edge from the wire object;
 * everything past this point may assume the fields are present and consistent.
 */
public record InferenceServiceModel(
    String namespace,
    String name,
    long generation,
    PredictorTemplate predictor,
    Scaling scaling,
    OptionalInt canaryTrafficPercent) {

  public InferenceServiceModel {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(predictor, "predictor");
    Objects.requireNonNull(scaling, "scaling");
    Objects.requireNonNull(canaryTrafficPercent, "canaryTrafficPercent");
  }

  /** Validates the wire object (annotations included); throws InvalidSpecException listing every field error. */
  public static InferenceServiceModel from(InferenceService service) {
    return new InferenceServiceValidator(service).toModel();
  }

  /**
   * The share of traffic the latest ready revision gets while a rollout is under way: the canary
   * percent when one is set, else 100 (absent promotes).
   */
  public int latestRevisionPercent() {
    return canaryTrafficPercent.orElse(100);
  }
}
