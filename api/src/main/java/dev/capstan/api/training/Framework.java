package dev.capstan.api.training;

import dev.capstan.api.validation.WireEnum;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The frameworks a TrainingJob can run, with the roles each accepts (in rank order), the name of
 * the container that receives the environment contract, its port (name and default number), and
 * the restart policy a replica group gets when it names none. Container names, port names and
 * numbers and restart policies are the Kubeflow training operator's ({@code *_types.go} of v1.9,
 * MXNet of v1.7); the operator name is the {@code training.kubeflow.org/operator-name} label its
 * controller puts on pods and services.
 */
public enum Framework implements WireEnum {
  PYTORCH("pytorch", List.of("master", "worker"), "pytorch", "pytorchjob-port", 23456, RestartScope.GANG,
      RestartPolicy.OnFailure, "pytorchjob-controller"),
  TENSORFLOW("tensorflow", List.of("chief", "master", "worker", "ps", "evaluator"), "tensorflow", "tfjob-port", 2222,
      RestartScope.REPLICA, RestartPolicy.Never, "tfjob-controller"),
  MXNET("mxnet", List.of("scheduler", "server", "worker"), "mxnet", "mxjob-port", 9091, RestartScope.REPLICA,
      RestartPolicy.Never, "mxjob-controller"),
  JAX("jax", List.of("worker"), "jax", "jaxjob-port", 6666, RestartScope.GANG, RestartPolicy.Never, "jaxjob-controller"),
  XGBOOST("xgboost", List.of("master", "worker"), "xgboost", "xgboostjob-port", 9999, RestartScope.GANG,
      RestartPolicy.Never, "xgboostjob-controller"),
  PADDLE("paddle", List.of("master", "worker"), "paddle", "master", 36543, RestartScope.GANG, RestartPolicy.OnFailure,
      "paddlejob-controller"),
  GENERIC("generic", List.of(), "main", "capstan-port", 29500, RestartScope.GANG, RestartPolicy.OnFailure,
      "trainingjob-controller");

  private final String wire;
  private final List<String> roles;
  private final String containerName;
  private final String portName;
  private final int defaultPort;
  private final RestartScope defaultRestartScope;
  private final RestartPolicy defaultRestartPolicy;
  private final String operatorName;

  Framework(String wire, List<String> roles, String containerName, String portName, int defaultPort, RestartScope scope,
      RestartPolicy restartPolicy, String operatorName) {
    this.wire = wire;
    this.roles = roles;
    this.containerName = containerName;
    this.portName = portName;
    this.defaultPort = defaultPort;
    this.defaultRestartScope = scope;
    this.defaultRestartPolicy = restartPolicy;
    this.operatorName = operatorName;
  }

  @Override
  public String wire() {
    return wire;
  }

  /** Roles this framework accepts, in rank order; empty for generic (any role). */
  public List<String> roles() {
    return roles;
  }

  public String containerName() {
    return containerName;
  }

  public String portName() {
    return portName;
  }

  public int defaultPort() {
    return defaultPort;
  }

  /**
   * Collective frameworks restart the whole gang when one replica fails (a collective cannot
   * continue with a missing rank); parameter-server frameworks restart only the failed replica.
   */
  public RestartScope defaultRestartScope() {
    return defaultRestartScope;
  }

  /** The restart policy of a replica group that names none (Kubeflow's {@code *JobDefaultRestartPolicy}). */
  public RestartPolicy defaultRestartPolicy() {
    return defaultRestartPolicy;
  }

  /** The value of the {@code training.kubeflow.org/operator-name} label, e.g. {@code pytorchjob-controller}. */
  public String operatorName() {
    return operatorName;
  }

  /** The wire names of every framework, for messages: {@code pytorch, tensorflow, …}. */
  public static String wireNames() {
    return String.join(", ", java.util.Arrays.stream(values()).map(Framework::wire).toList());
  }

  /** The lowercase role for a manifest key; Kubeflow's capitalised forms map to the same role. */
  public static String normalizeRole(String key) {
    return key == null ? null : key.toLowerCase(Locale.ROOT);
  }

  public boolean acceptsRole(String role) {
    return this == GENERIC || roles.contains(role);
  }

  public static Optional<Framework> fromWire(String value) {
    for (Framework f : values()) {
      if (f.wire.equals(value)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }
}
