package dev.capstan.api.kubeflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.api.validation.InvalidSpecException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;
import java.util.Optional;

/**
 * Kubeflow's {@code kubeflow.org/v1} jobs (PyTorchJob, TFJob, XGBoostJob, JAXJob, PaddleJob, and
 * MXJob in its v1.7 shape) run as Capstan TrainingJobs. Pure functions over JSON trees; every field
 * is treated as {@link KubeflowFields} says, and every error names the field as the user wrote it.
 *
 * <pre>{@code
 * if (KubeflowJobs.isKubeflowKind(doc.path("apiVersion").asText(), doc.path("kind").asText())) {
 *   TrainingJob job = KubeflowJobs.toTrainingJob(doc);   // or InvalidSpecException with Kubeflow paths
 * }
 * }</pre>
 */
public final class KubeflowJobs {
  /** Annotation on the TrainingJob: the Kubeflow kind it was written as, e.g. {@code PyTorchJob}. */
  public static final String SOURCE_KIND = "capstan.dev/source-kind";
  /** Annotation on the TrainingJob: the apiVersion it was written as, {@code kubeflow.org/v1}. */
  public static final String SOURCE_API_VERSION = "capstan.dev/source-api-version";

  private KubeflowJobs() {}

  /** Whether a manifest with this apiVersion and kind is one of the Kubeflow jobs accepted as is. */
  public static boolean isKubeflowKind(String apiVersion, String kind) {
    return KubeflowKind.API_VERSION.equals(apiVersion) && KubeflowKind.byKind(kind).isPresent();
  }

  /**
   * The TrainingJob a Kubeflow job runs as, checked by Capstan's codec and validator (so every
   * Capstan bound applies). Throws {@link InvalidSpecException} whose paths name the manifest's
   * fields ({@code spec.pytorchReplicaSpecs.Worker.replicas}), for unknown and refused fields too.
   */
  public static TrainingJob toTrainingJob(JsonNode manifest) {
    ConvertedJob converted = convert(manifest);
    return converted.explained(() -> {
      TrainingJob job = (TrainingJob) Manifests.toResource(converted.trainingJob());
      TrainingJobModel.from(job);
      return job;
    });
  }

  /**
   * The tree-level conversion: the TrainingJob manifest (annotated with its source kind and
   * apiVersion), the notes on accepted fields Capstan does not act on, and the path mapping for
   * later checks ({@link ConvertedJob#explained}). Throws for unknown or refused fields.
   */
  public static ConvertedJob convert(JsonNode manifest) {
    if (manifest == null || !manifest.isObject()) {
      throw new InvalidSpecException("", "a manifest must be a mapping");
    }
    String kindName = manifest.path("kind").asText(null);
    KubeflowKind kind = KubeflowKind.byKind(kindName)
        .orElseThrow(() -> new InvalidSpecException("kind", "'" + kindName + "' is not a Kubeflow job kind"));
    JsonNode apiVersion = manifest.path("apiVersion");
    if (!KubeflowKind.API_VERSION.equals(apiVersion.asText(null))) {
      throw new InvalidSpecException("apiVersion", "must be " + KubeflowKind.API_VERSION + " for a " + kind.kind()
          + " (is '" + apiVersion.asText("") + "')");
    }
    return new KubeflowConversion(kind).convert((ObjectNode) manifest);
  }

  /** The Kubeflow kind a stored TrainingJob was written as, from its annotation. */
  public static Optional<KubeflowKind> sourceKind(JsonNode trainingJob) {
    JsonNode value = trainingJob.path("metadata").path("annotations").path(SOURCE_KIND);
    return value.isTextual() ? KubeflowKind.byKind(value.asText()) : Optional.empty();
  }

  /** The Kubeflow kind a TrainingJob was written as, from its annotation. */
  public static Optional<KubeflowKind> sourceKind(HasMetadata trainingJob) {
    Map<String, String> annotations = trainingJob.getMetadata() == null ? null : trainingJob.getMetadata().getAnnotations();
    return annotations == null || annotations.get(SOURCE_KIND) == null ? Optional.empty()
        : KubeflowKind.byKind(annotations.get(SOURCE_KIND));
  }
}
