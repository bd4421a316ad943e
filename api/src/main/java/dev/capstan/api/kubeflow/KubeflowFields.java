package dev.capstan.api.kubeflow;

import static dev.capstan.api.kubeflow.KubeflowKind.MX_JOB;
import static dev.capstan.api.kubeflow.KubeflowKind.PADDLE_JOB;
import static dev.capstan.api.kubeflow.KubeflowKind.PYTORCH_JOB;
import static dev.capstan.api.kubeflow.KubeflowKind.TF_JOB;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.kubeflow.FieldRule.Treatment;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Every field of the {@code kubeflow.org/v1} job types (training operator v1.9
 * {@code pkg/apis/kubeflow.org/v1/*_types.go} and {@code common_types.go}; MXJob from v1.7) and
 * what Capstan does with it. The converter reads this table, its test checks it against the
 * Kubeflow types, and docs/kubeflow.md prints it ({@link #markdown()}). A field not listed here is
 * not defined by Kubeflow either and is refused as unknown.
 */
public final class KubeflowFields {
  /** The value Kubeflow writes for jobs its own operator runs. */
  static final String TRAINING_OPERATOR = "kubeflow.org/training-operator";

  private static final Set<KubeflowKind> ALL = EnumSet.allOf(KubeflowKind.class);
  /** Fields added after v1.7, so MXJob (which Capstan takes in its v1.7 shape) lacks them. */
  private static final Set<KubeflowKind> V19 = EnumSet.complementOf(EnumSet.of(MX_JOB));
  private static final Set<KubeflowKind> PYTORCH = EnumSet.of(PYTORCH_JOB);
  private static final Set<KubeflowKind> PADDLE = EnumSet.of(PADDLE_JOB);
  private static final String GANG = "not used: Capstan admits all of a job's replicas together or none, on the sum of "
      + "their requests, with no external gang scheduler (Volcano, scheduler-plugins); ";
  private static final String PADDLE_ELASTIC = "elastic PaddlePaddle jobs are not supported; Capstan runs elastic "
      + "training for PyTorchJobs only";

  private static final List<FieldRule> RULES = List.of(
      honoured("apiVersion", ALL, null, "must be kubeflow.org/v1; kept as the annotation capstan.dev/source-api-version"),
      honoured("kind", ALL, null, "sets spec.framework (PaddleJob: paddle, MXJob: mxnet, …); kept as the annotation capstan.dev/source-kind"),
      honoured("metadata", ALL, "metadata", "the TrainingJob's metadata, checked as Capstan checks it"),
      noted("status", ALL, "ignored: Capstan writes the job's status itself, as the API server ignores a status sent with a create"),
      honoured("spec", ALL, "spec", "the TrainingJob's spec"),
      honoured("spec.{replicaSpecs}", ALL, "spec.replicas", "spec.replicas, one group per key (Master, Worker, PS, Chief, Evaluator, Scheduler, Server)"),
      honoured("spec.{replicaSpecs}.{role}", ALL, "spec.replicas.{role}", "spec.replicas.<role>; the key keeps its spelling"),
      honoured("spec.{replicaSpecs}.{role}.replicas", ALL, "spec.replicas.{role}.count", "spec.replicas.<role>.count"),
      honoured("spec.{replicaSpecs}.{role}.template", ALL, "spec.replicas.{role}.template", "spec.replicas.<role>.template"),
      honoured("spec.{replicaSpecs}.{role}.restartPolicy", ALL, "spec.replicas.{role}.restartPolicy", "spec.replicas.<role>.restartPolicy"),
      honoured("spec.runPolicy", ALL, "spec.runPolicy", "spec.runPolicy"),
      rule("spec.runPolicy.cleanPodPolicy", ALL, Treatment.HONOURED, "spec.runPolicy.cleanPodPolicy",
          "spec.runPolicy.cleanPodPolicy; missing or \"\" takes Kubeflow's default, None (Capstan's own is Running)", null, KubeflowFields::emptyIsUnset),
      honoured("spec.runPolicy.ttlSecondsAfterFinished", ALL, "spec.runPolicy.ttlSecondsAfterFinished", "spec.runPolicy.ttlSecondsAfterFinished"),
      honoured("spec.runPolicy.activeDeadlineSeconds", ALL, "spec.runPolicy.activeDeadlineSeconds", "spec.runPolicy.activeDeadlineSeconds"),
      honoured("spec.runPolicy.backoffLimit", ALL, "spec.runPolicy.backoffLimit", "spec.runPolicy.backoffLimit"),
      honoured("spec.runPolicy.suspend", ALL, "spec.runPolicy.suspend", "spec.runPolicy.suspend"),
      someRefused("spec.runPolicy.managedBy", V19, v -> !v.isNull() && !TRAINING_OPERATOR.equals(v.asText()),
          "only " + TRAINING_OPERATOR + " (the default) is accepted: a job managed by another controller "
              + "(e.g. kueue.x-k8s.io/multikueue) is not for this control plane to run"),
      noted("spec.runPolicy.schedulingPolicy", ALL, "the inputs of an external gang scheduler; each field is noted"),
      noted("spec.runPolicy.schedulingPolicy.minAvailable", ALL,
          "Capstan admits all of a job's replicas together or none, which meets any minAvailable"),
      noted("spec.runPolicy.schedulingPolicy.queue", ALL, GANG + "a job waits in the control plane's one queue"),
      noted("spec.runPolicy.schedulingPolicy.minResources", ALL, GANG + "the job's own requests are what it needs"),
      noted("spec.runPolicy.schedulingPolicy.priorityClass", ALL, GANG + "jobs are admitted in arrival order"),
      noted("spec.runPolicy.schedulingPolicy.scheduleTimeoutSeconds", ALL, GANG + "a job waits until it fits"),
      rule("spec.nprocPerNode", PYTORCH, Treatment.HONOURED, "spec.nprocPerNode",
          "spec.nprocPerNode, as given (a number, auto, cpu or gpu)", null, UnaryOperator.identity()),
      honoured("spec.elasticPolicy", PYTORCH, "spec.elasticPolicy", "spec.elasticPolicy"),
      honoured("spec.elasticPolicy.minReplicas", PYTORCH, "spec.elasticPolicy.minReplicas", "spec.elasticPolicy.minReplicas"),
      honoured("spec.elasticPolicy.maxReplicas", PYTORCH, "spec.elasticPolicy.maxReplicas", "spec.elasticPolicy.maxReplicas"),
      honoured("spec.elasticPolicy.rdzvBackend", PYTORCH, "spec.elasticPolicy.rdzvBackend", "spec.elasticPolicy.rdzvBackend"),
      honoured("spec.elasticPolicy.rdzvPort", PYTORCH, "spec.elasticPolicy.rdzvPort", "spec.elasticPolicy.rdzvPort"),
      honoured("spec.elasticPolicy.rdzvHost", PYTORCH, "spec.elasticPolicy.rdzvHost", "spec.elasticPolicy.rdzvHost"),
      honoured("spec.elasticPolicy.rdzvId", PYTORCH, "spec.elasticPolicy.rdzvId", "spec.elasticPolicy.rdzvId"),
      honoured("spec.elasticPolicy.rdzvConf", PYTORCH, "spec.elasticPolicy.rdzvConf", "spec.elasticPolicy.rdzvConf (key, value)"),
      honoured("spec.elasticPolicy.maxRestarts", PYTORCH, "spec.elasticPolicy.maxRestarts", "spec.elasticPolicy.maxRestarts"),
      honoured("spec.elasticPolicy.nProcPerNode", PYTORCH, "spec.nprocPerNode",
          "deprecated by Kubeflow; becomes spec.nprocPerNode, and is refused together with spec.nprocPerNode as Kubeflow refuses it"),
      honoured("spec.elasticPolicy.standalone", PYTORCH, "spec.elasticPolicy.standalone",
          "spec.elasticPolicy.standalone (PET_STANDALONE)"),
      refused("spec.elasticPolicy.metrics", PYTORCH, "Capstan does not scale elastic jobs on metrics (Kubeflow makes a "
          + "HorizontalPodAutoscaler of them); leave it out and the job runs between minReplicas and maxReplicas"),
      refused("spec.elasticPolicy", PADDLE, PADDLE_ELASTIC),
      refused("spec.elasticPolicy.minReplicas", PADDLE, PADDLE_ELASTIC),
      refused("spec.elasticPolicy.maxReplicas", PADDLE, PADDLE_ELASTIC),
      refused("spec.elasticPolicy.maxRestarts", PADDLE, PADDLE_ELASTIC),
      refused("spec.elasticPolicy.metrics", PADDLE, PADDLE_ELASTIC),
      rule("spec.successPolicy", EnumSet.of(TF_JOB), Treatment.HONOURED, "spec.successPolicy",
          "spec.successPolicy: \"\" (Kubeflow's default) or AllWorkers", null, KubeflowFields::emptyIsUnset),
      someRefused("spec.enableDynamicWorker", EnumSet.of(TF_JOB), v -> !v.isNull() && !(v.isBoolean() && !v.booleanValue()),
          "only false is accepted: the sparse TF_CONFIG of dynamic workers is not supported; every replica gets the whole cluster"),
      someRefused("spec.jobMode", EnumSet.of(MX_JOB), v -> !v.isNull() && !"MXTrain".equals(v.asText()),
          "only MXTrain is supported; MXTune (TunerTracker, TunerServer and Tuner replicas) is not"));

  private KubeflowFields() {}

  /** Every rule, in the order docs/kubeflow.md lists them. */
  public static List<FieldRule> all() {
    return RULES;
  }

  /** The rule for a field path (with placeholders) of one kind, if Kubeflow defines it. */
  public static Optional<FieldRule> rule(KubeflowKind kind, String path) {
    return RULES.stream().filter(r -> r.path().equals(path) && r.kinds().contains(kind)).findFirst();
  }

  /** Whether the field is a mapping whose own fields have rules (as opposed to a value passed on whole). */
  static boolean hasFields(KubeflowKind kind, String path) {
    return RULES.stream().anyMatch(r -> r.kinds().contains(kind) && r.path().startsWith(path + "."));
  }

  /** The table as Markdown, as docs/kubeflow.md shows it. */
  public static String markdown() {
    StringBuilder sb = new StringBuilder("| field | kinds | treatment | in Capstan |\n|---|---|---|---|\n");
    for (FieldRule r : RULES) {
      String kinds = r.kinds().equals(ALL) ? "all" : r.kinds().equals(V19) ? "all but MXJob"
          : String.join(", ", r.kinds().stream().map(KubeflowKind::kind).toList());
      String path = r.path().replace("{replicaSpecs}", "*ReplicaSpecs").replace("{role}", "<role>");
      sb.append("| `").append(path).append("` | ").append(kinds).append(" | ").append(word(r.treatment()))
          .append(" | ").append(r.text().replace("|", "\\|")).append(" |\n");
    }
    return sb.toString();
  }

  private static String word(Treatment t) {
    return switch (t) {
      case HONOURED -> "honoured";
      case NOTED -> "accepted, noted";
      case REFUSED -> "refused";
      case SOME_VALUES_REFUSED -> "honoured; other values refused";
    };
  }

  private static JsonNode emptyIsUnset(JsonNode value) {
    return value.isTextual() && value.asText().isEmpty() ? null : value;
  }

  private static FieldRule rule(String path, Set<KubeflowKind> kinds, Treatment treatment, String target, String text,
      Predicate<JsonNode> refusedValue, UnaryOperator<JsonNode> value) {
    return new FieldRule(path, Set.copyOf(kinds), treatment, target, text, refusedValue == null ? v -> false : refusedValue, value);
  }

  private static FieldRule honoured(String path, Set<KubeflowKind> kinds, String target, String text) {
    return rule(path, kinds, Treatment.HONOURED, target, text, null, UnaryOperator.identity());
  }

  private static FieldRule noted(String path, Set<KubeflowKind> kinds, String note) {
    return rule(path, kinds, Treatment.NOTED, null, note, null, UnaryOperator.identity());
  }

  private static FieldRule refused(String path, Set<KubeflowKind> kinds, String reason) {
    return rule(path, kinds, Treatment.REFUSED, null, reason, null, UnaryOperator.identity());
  }

  private static FieldRule someRefused(String path, Set<KubeflowKind> kinds, Predicate<JsonNode> refusedValue, String reason) {
    return rule(path, kinds, Treatment.SOME_VALUES_REFUSED, null, reason, refusedValue, UnaryOperator.identity());
  }
}
