package dev.capstan.api.kubeflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * What Capstan does with one field of the {@code kubeflow.org/v1} API types.
 *
 * @param path the field, with {@code {replicaSpecs}} for the kind's replica-spec map and
 *     {@code {role}} for one of its keys, e.g. {@code spec.{replicaSpecs}.{role}.replicas}
 * @param kinds the kinds that define the field
 * @param treatment honoured, noted or refused
 * @param target the Capstan TrainingJob field it becomes (same placeholders; for a mapping, the
 *     mapping its fields go to), or null when it is refused, only noted, or read by the converter
 * @param text for a refusal its reason; for a note what Capstan does instead; otherwise a short
 *     description for the docs
 * @param refusedValue which values are refused (only for {@link Treatment#SOME_VALUES_REFUSED})
 * @param value how a value is carried over; returning null leaves the Capstan field unset
 */
public record FieldRule(String path, Set<KubeflowKind> kinds, Treatment treatment, String target, String text,
    Predicate<JsonNode> refusedValue, UnaryOperator<JsonNode> value) {

  /** The three outcomes a field can have; none is dropped without saying so. */
  public enum Treatment {
    /** Carried over and acted on as Kubeflow acts on it. */
    HONOURED,
    /** Accepted; the user is told, field by field, what Capstan does instead. */
    NOTED,
    /** Refused with an error naming the field and why. */
    REFUSED,
    /** Honoured, except for the values that are refused (e.g. {@code standalone: true}). */
    SOME_VALUES_REFUSED
  }

  /** Whether this value of the field is refused. */
  public boolean refuses(JsonNode node) {
    return treatment == Treatment.REFUSED || (treatment == Treatment.SOME_VALUES_REFUSED && refusedValue.test(node));
  }

  /** The field's path for one kind, with that kind's replica-spec field filled in. */
  public String pathFor(KubeflowKind kind) {
    return path.replace("{replicaSpecs}", kind.replicaSpecsField());
  }
}
