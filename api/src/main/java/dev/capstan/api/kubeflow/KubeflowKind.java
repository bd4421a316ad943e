package dev.capstan.api.kubeflow;

import java.util.Locale;
import java.util.Optional;

/**
 * The {@code kubeflow.org/v1} job kinds Capstan accepts as they are: the training operator's v1.9
 * PyTorchJob, TFJob, XGBoostJob, JAXJob and PaddleJob, and the MXJob of its v1.7 line. Each names
 * the spec field that holds its replica groups and the Capstan framework it runs as.
 */
public enum KubeflowKind {
  PYTORCH_JOB("PyTorchJob", "pytorchjobs", "pytorchReplicaSpecs", "pytorch"),
  TF_JOB("TFJob", "tfjobs", "tfReplicaSpecs", "tensorflow"),
  XGBOOST_JOB("XGBoostJob", "xgboostjobs", "xgbReplicaSpecs", "xgboost"),
  JAX_JOB("JAXJob", "jaxjobs", "jaxReplicaSpecs", "jax"),
  PADDLE_JOB("PaddleJob", "paddlejobs", "paddleReplicaSpecs", "paddle"),
  MX_JOB("MXJob", "mxjobs", "mxReplicaSpecs", "mxnet");

  /** The group and version every one of these kinds is served under. */
  public static final String API_VERSION = "kubeflow.org/v1";

  private final String kind;
  private final String plural;
  private final String replicaSpecs;
  private final String framework;

  KubeflowKind(String kind, String plural, String replicaSpecs, String framework) {
    this.kind = kind;
    this.plural = plural;
    this.replicaSpecs = replicaSpecs;
    this.framework = framework;
  }

  /** The kind as written in manifests, e.g. {@code PyTorchJob}. */
  public String kind() {
    return kind;
  }

  /** e.g. {@code pytorchjobs}. */
  public String plural() {
    return plural;
  }

  /** e.g. {@code pytorchjob}. */
  public String singular() {
    return kind.toLowerCase(Locale.ROOT);
  }

  /** The spec field holding the replica groups, e.g. {@code pytorchReplicaSpecs}. */
  public String replicaSpecsField() {
    return replicaSpecs;
  }

  /** The Capstan framework ({@code spec.framework}) the job runs as. */
  public String framework() {
    return framework;
  }

  public static Optional<KubeflowKind> byKind(String kind) {
    for (KubeflowKind k : values()) {
      if (k.kind.equals(kind)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /** What users type on the command line: {@code pytorchjobs}, {@code pytorchjob} or {@code PyTorchJob}. */
  public static Optional<KubeflowKind> lookup(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    for (KubeflowKind k : values()) {
      if (k.plural.equals(n) || k.singular().equals(n)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
