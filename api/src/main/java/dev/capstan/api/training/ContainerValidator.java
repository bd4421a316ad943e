package dev.capstan.api.training;

import static dev.capstan.api.training.TrainingJobLimits.MAX_ARGS;
import static dev.capstan.api.training.TrainingJobLimits.MAX_ENV;
import static dev.capstan.api.training.TrainingJobLimits.MAX_ENV_NAME;
import static dev.capstan.api.training.TrainingJobLimits.MAX_PORTS;
import static dev.capstan.api.training.TrainingJobLimits.MAX_STRING;

import dev.capstan.api.validation.Errors;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Checks one container of a replica template, every size within {@link TrainingJobLimits}. */
final class ContainerValidator {
  private final Errors errors;

  ContainerValidator(Errors errors) {
    this.errors = errors;
  }

  /**
   * Checks the container at {@code path} and returns what one replica of it asks for per resource
   * (the request, or the limit where no request is given), in base units; invalid amounts count 0.
   */
  Map<String, BigDecimal> check(String path, Container c) {
    if (c.getName() != null) {
      errors.dnsLabel(path + ".name", c.getName(), TrainingJobValidator.MAX_NAME);
    }
    command(path + ".command", c.getCommand());
    strings(path + ".args", c.getArgs());
    env(path + ".env", c.getEnv());
    ports(path + ".ports", c.getPorts());
    escalation(path + ".securityContext", c.getSecurityContext());
    return resources(path + ".resources", c.getResources());
  }

  /** An empty program name runs nothing anywhere; later entries are arguments and may be empty. */
  private void command(String path, List<String> command) {
    if (strings(path, command) && !command.isEmpty() && command.get(0) != null && command.get(0).isBlank()) {
      errors.add(path + "[0]", "must name a program (is empty)");
    }
  }

  /**
   * The API server refuses a container that is privileged, or adds CAP_SYS_ADMIN, while it sets
   * {@code allowPrivilegeEscalation: false}: such a pod could never be created, so it is refused here.
   */
  private void escalation(String path, SecurityContext sc) {
    if (sc == null || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
      return;
    }
    if (Boolean.TRUE.equals(sc.getPrivileged())) {
      errors.add(path + ".allowPrivilegeEscalation", "cannot be false for a privileged container");
    }
    List<String> added = sc.getCapabilities() == null || sc.getCapabilities().getAdd() == null
        ? List.of() : sc.getCapabilities().getAdd();
    if (added.stream().anyMatch(cap -> "SYS_ADMIN".equals(cap) || "CAP_SYS_ADMIN".equals(cap))) {
      errors.add(path + ".allowPrivilegeEscalation", "cannot be false for a container that adds CAP_SYS_ADMIN");
    }
  }

  private boolean strings(String path, List<String> values) {
    if (values == null || !errors.atMostEntries(path, values.size(), MAX_ARGS)) {
      return values != null;
    }
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i) == null) {
        errors.add(path + "[" + i + "]", "must be a string (is null)");
      }
      errors.atMostChars(path + "[" + i + "]", values.get(i), MAX_STRING);
      noNul(path + "[" + i + "]", values.get(i));
    }
    return true;
  }

  /** A process's arguments and environment are C strings: a NUL would cut them short or fail the launch. */
  private void noNul(String path, String value) {
    if (value != null && value.indexOf('\0') >= 0) {
      errors.add(path, "must not contain a NUL character");
    }
  }

  private void env(String path, List<EnvVar> env) {
    if (env == null || !errors.atMostEntries(path, env.size(), MAX_ENV)) {
      return;
    }
    for (int i = 0; i < env.size(); i++) {
      String name = env.get(i).getName();
      errors.envName(path + "[" + i + "].name", name);
      errors.atMostChars(path + "[" + i + "].name", name, MAX_ENV_NAME);
      errors.atMostChars(path + "[" + i + "].value", env.get(i).getValue(), MAX_STRING);
      noNul(path + "[" + i + "].value", env.get(i).getValue());
    }
  }

  private void ports(String path, List<ContainerPort> ports) {
    if (ports == null || !errors.atMostEntries(path, ports.size(), MAX_PORTS)) {
      return;
    }
    for (int i = 0; i < ports.size(); i++) {
      Integer port = ports.get(i).getContainerPort();
      if (port == null || port < 1 || port > 65535) {
        errors.add(path + "[" + i + "].containerPort", "must be between 1 and 65535 (is " + port + ")");
      }
    }
  }

  private Map<String, BigDecimal> resources(String path, ResourceRequirements resources) {
    Map<String, BigDecimal> demand = new TreeMap<>();
    if (resources == null) {
      return demand;
    }
    Map<String, BigDecimal> limits = quantities(path + ".limits", resources.getLimits());
    Map<String, BigDecimal> requests = quantities(path + ".requests", resources.getRequests());
    demand.putAll(limits);
    demand.putAll(requests);
    return demand;
  }

  private Map<String, BigDecimal> quantities(String path, Map<String, Quantity> values) {
    Map<String, BigDecimal> amounts = new TreeMap<>();
    if (values == null) {
      return amounts;
    }
    values.forEach((name, q) -> {
      BigDecimal amount = amount(path + "." + name, name, q);
      amounts.put(name, amount);
    });
    return amounts;
  }

  private BigDecimal amount(String path, String name, Quantity q) {
    BigDecimal amount;
    try {
      amount = q == null ? null : Quantity.getAmountInBytes(q);
    } catch (IllegalArgumentException | ArithmeticException e) {
      errors.add(path, "'" + q + "' is not a valid quantity");
      return BigDecimal.ZERO;
    }
    if (amount == null || amount.signum() < 0) {
      errors.add(path, "must be a non-negative quantity");
      return BigDecimal.ZERO;
    }
    if (amount.compareTo(TrainingJobLimits.maxAmount(name)) > 0) {
      errors.add(path, "must be at most " + TrainingJobLimits.describeMax(name) + " (is " + q + ")");
      return BigDecimal.ZERO;
    }
    return amount;
  }
}
