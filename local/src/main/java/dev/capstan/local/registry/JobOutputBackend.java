package dev.capstan.local.registry;

import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.core.training.Observed;
import dev.capstan.core.training.ReplicaAction;
import dev.capstan.core.training.ReplicaBackend;
import dev.capstan.core.training.ReplicaLaunch;
import dev.capstan.core.training.env.ReplicaAddressing;
import dev.capstan.local.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The replica backend as local mode gives it to the training controller: replicas of a job with
 * {@code spec.output} start with {@code CAPSTAN_OUTPUT_DIR} naming the job's output directory,
 * created (0700) before the first of them starts. Everything else is the wrapped backend's.
 */
public final class JobOutputBackend implements ReplicaBackend {
  private final ReplicaBackend backend;
  private final JobOutputDirectories outputs;

  public JobOutputBackend(ReplicaBackend backend, JobOutputDirectories outputs) {
    this.backend = backend;
    this.outputs = outputs;
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
    Path dir = outputs.of(job);
    try {
      OwnerOnly.directories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the output directory " + dir + " of " + job.getMetadata().getName(), e);
    }
    backend.apply(job, actions.stream().map(a -> withOutput(a, dir)).toList());
  }

  private static ReplicaAction withOutput(ReplicaAction action, Path dir) {
    if (!(action instanceof ReplicaAction.Start start)) {
      return action;
    }
    ReplicaLaunch l = start.launch();
    Map<String, String> env = new LinkedHashMap<>(l.env());
    env.put(JobOutputDirectories.ENV, dir.toString());
    return new ReplicaAction.Start(new ReplicaLaunch(l.id(), l.name(), l.attempt(), env, l.labels(), l.group()));
  }
}
