package dev.capstan.core.registry;

import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.core.training.Observed;
import dev.capstan.core.training.ReplicaAction;
import dev.capstan.core.training.ReplicaBackend;
import dev.capstan.core.training.ReplicaLaunch;
import dev.capstan.core.training.env.ReplicaAddressing;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A replica backend that gives the replicas of a job with {@code spec.output} the location of
 * that output: {@code location} returns the variables to add (local mode
 * {@code CAPSTAN_OUTPUT_DIR}, creating the directory; a cluster {@code CAPSTAN_OUTPUT_URI}). It
 * is asked once per apply that starts a replica. Everything else is the wrapped backend's.
 */
public final class JobOutputBackend implements ReplicaBackend {
  private final ReplicaBackend backend;
  private final Function<TrainingJob, Map<String, String>> location;

  public JobOutputBackend(ReplicaBackend backend, Function<TrainingJob, Map<String, String>> location) {
    this.backend = backend;
    this.location = location;
  }

  @Override
  public Observed observe(TrainingJob job) {
    return backend.observe(job);
  }

  @Override
  public ReplicaAddressing addressing(TrainingJobModel job) {
    return backend.addressing(job);
  }

  @Override
  public void apply(TrainingJob job, List<ReplicaAction> actions) {
    if (job.getSpec() == null || job.getSpec().getOutput() == null
        || actions.stream().noneMatch(a -> a instanceof ReplicaAction.Start)) {
      backend.apply(job, actions);
      return;
    }
    Map<String, String> vars = location.apply(job);
    backend.apply(job, actions.stream().map(a -> withOutput(a, vars)).toList());
  }

  private static ReplicaAction withOutput(ReplicaAction action, Map<String, String> vars) {
    if (!(action instanceof ReplicaAction.Start start)) {
      return action;
    }
    ReplicaLaunch l = start.launch();
    Map<String, String> env = new LinkedHashMap<>(l.env());
    env.putAll(vars);
    return new ReplicaAction.Start(new ReplicaLaunch(l.id(), l.name(), l.attempt(), env, l.labels(), l.group()));
  }
}
