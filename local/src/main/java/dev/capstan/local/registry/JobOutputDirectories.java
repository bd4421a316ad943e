package dev.capstan.local.registry;

import dev.capstan.api.training.JobOutput;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.local.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a local job with {@code spec.output} writes what it leaves behind:
 * {@code $CAPSTAN_HOME/outputs/<namespace>/<job>/<uid>} (0700), given to its replicas as
 * {@code CAPSTAN_OUTPUT_DIR}. The uid keeps a job recreated under the same name apart from the
 * one before it. The files of {@code spec.output.path} in it (all of it by default) are registered
 * when the job succeeds; the directory is removed once its version is READY.
 */
public record JobOutputDirectories(Path root) {
  /** The variable replicas find the directory in. */
  public static final String ENV = "CAPSTAN_OUTPUT_DIR";

  public static JobOutputDirectories under(Path capstanHome) {
    return new JobOutputDirectories(capstanHome.resolve("outputs"));
  }

  public Path of(TrainingJob job) {
    var meta = job.getMetadata();
    return root.resolve(meta.getNamespace()).resolve(meta.getName()).resolve(meta.getUid());
  }

  /** Creates the job's output directory (0700) and returns the variable naming it, for its replicas. */
  public Map<String, String> prepare(TrainingJob job) {
    Path dir = of(job);
    try {
      OwnerOnly.directories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the output directory " + dir + " of " + job.getMetadata().getName(), e);
    }
    return Map.of(ENV, dir.toString());
  }

  /** The directory whose files make the version: {@code spec.output.path} inside the job's output (checked by validation). */
  public Path modelFiles(TrainingJob job, JobOutput output) {
    return output.path().map(p -> of(job).resolve(p)).orElse(of(job)).normalize();
  }
}
