package dev.capstan.api.codec;

import dev.capstan.api.kubeflow.KubeflowKind;
import dev.capstan.api.queue.Queue;
import dev.capstan.api.queue.WorkloadPriorityClass;
import dev.capstan.api.registry.Model;
import dev.capstan.api.registry.ModelVersion;
import dev.capstan.api.serving.InferenceService;
import dev.capstan.api.training.TrainingJob;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/** The resource kinds Capstan serves, looked up by kind, plural or short name. */
public final class Kinds {
  /** One kind: its wire names and Java class. */
  public record KindInfo(String kind, String plural, String singular, List<String> shortNames,
      Class<? extends HasMetadata> type) {}

  public static final KindInfo TRAINING_JOB = new KindInfo(
      TrainingJob.KIND, TrainingJob.PLURAL, "trainingjob", List.of("tj", "trainingjob"), TrainingJob.class);

  public static final KindInfo MODEL = new KindInfo(
      Model.KIND, Model.PLURAL, "model", List.of("mdl"), Model.class);

  public static final KindInfo MODEL_VERSION = new KindInfo(
      ModelVersion.KIND, ModelVersion.PLURAL, "modelversion", List.of("mv"), ModelVersion.class);

  public static final KindInfo INFERENCE_SERVICE = new KindInfo(InferenceService.KIND, InferenceService.PLURAL,
      "inferenceservice", List.of(InferenceService.SHORT_NAME), InferenceService.class);

  public static final KindInfo QUEUE = new KindInfo(Queue.KIND, Queue.PLURAL, "queue", List.of("q"), Queue.class);

  public static final KindInfo WORKLOAD_PRIORITY_CLASS = new KindInfo(WorkloadPriorityClass.KIND, WorkloadPriorityClass.PLURAL,
      "workloadpriorityclass", List.of("wpc", "priorityclass"), WorkloadPriorityClass.class);

  private static final List<KindInfo> ALL =
      List.of(TRAINING_JOB, MODEL, MODEL_VERSION, INFERENCE_SERVICE, QUEUE, WORKLOAD_PRIORITY_CLASS);

  private Kinds() {}

  public static List<KindInfo> all() {
    return ALL;
  }

  /**
   * Every kind a manifest may have: Capstan's own, then Kubeflow's jobs ({@code kubeflow.org/v1}),
   * which are stored and run as TrainingJobs ({@link KubeflowKind}).
   */
  public static List<String> acceptedKinds() {
    return Stream.concat(ALL.stream().map(KindInfo::kind), Arrays.stream(KubeflowKind.values()).map(KubeflowKind::kind)).toList();
  }

  /**
   * Resolves a Kubeflow kind as users type it ({@code pytorchjobs}, {@code pytorchjob}): such jobs
   * are stored as the kind given here (TrainingJob), marked with their source kind.
   */
  public static Optional<KubeflowKind> lookupKubeflow(String name) {
    return KubeflowKind.lookup(name);
  }

  /** The kind a Kubeflow job is stored and run as. */
  public static KindInfo storedAs(KubeflowKind kind) {
    return TRAINING_JOB;
  }

  public static Optional<KindInfo> byKind(String kind) {
    return ALL.stream().filter(k -> k.kind().equals(kind)).findFirst();
  }

  /** Resolves what a user types on the command line: {@code trainingjobs}, {@code TrainingJob}, {@code tj}. */
  public static Optional<KindInfo> lookup(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return ALL.stream()
        .filter(k -> k.plural().equals(n) || k.singular().equals(n) || k.kind().toLowerCase(Locale.ROOT).equals(n)
            || k.shortNames().contains(n))
        .findFirst();
  }
}
