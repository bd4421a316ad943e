package dev.capstan.local.server;

import dev.capstan.api.training.ReplicaGroup;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.api.validation.Errors;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.List;

/**
 * What local mode needs beyond a valid spec: images are not used on one machine, so the main
 * container must say which command to run, and env values must be literal. A replica is a plain
 * process of the server's user, so pod fields it cannot honour are refused with their path
 * ({@link LocalPodFields}, {@link LocalSecurityFields}) rather than silently dropped.
 */
final class LocalChecks {
  private LocalChecks() {}

  static void check(TrainingJobModel job) {
    check(job, ServerUser.current());
  }

  static void check(TrainingJobModel job, ServerUser user) {
    Errors errors = new Errors();
    for (ReplicaGroup g : job.groups()) {
      String spec = "spec.replicas." + g.role() + ".template.spec";
      String path = spec + ".containers[" + g.mainContainer() + "]";
      Container c = g.container();
      if (c.getCommand() == null || c.getCommand().isEmpty()) {
        errors.add(path + ".command", "required in local mode (images are not used locally, so there is no entrypoint)");
      }
      List<EnvVar> env = c.getEnv() == null ? List.of() : c.getEnv();
      for (int i = 0; i < env.size(); i++) {
        if (env.get(i).getValueFrom() != null) {
          errors.add(path + ".env[" + i + "].valueFrom", "not supported in local mode; give a literal value");
        }
      }
      PodSpec pod = g.template().getSpec();
      LocalPodFields.check(spec, pod, g.mainContainer(), errors);
      LocalSecurityFields.check(spec, pod.getSecurityContext(), c.getSecurityContext(), g.mainContainer(), user, errors);
    }
    errors.throwIfAny();
  }
}
