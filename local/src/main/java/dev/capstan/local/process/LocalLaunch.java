package dev.capstan.local.process;

import dev.capstan.api.training.TrainingJob;
import dev.capstan.core.training.ReplicaLaunch;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns a replica launch into a process: the main container's command and args, its working
 * directory (workingDir, else the directory of the manifest it came from), its env with the
 * environment contract over it, and CUDA_VISIBLE_DEVICES for the GPUs it was given.
 */
public final class LocalLaunch {
  /** Annotation the CLI sets to the directory relative paths in a manifest resolve against. */
  public static final String MANIFEST_DIR = "capstan.dev/manifest-dir";

  private LocalLaunch() {}

  static LaunchCommand command(TrainingJob job, ReplicaLaunch launch, List<Integer> gpus, boolean hostHasGpus, Path log) {
    Container c = launch.group().container();
    List<String> argv = new ArrayList<>();
    if (c.getCommand() != null) {
      argv.addAll(c.getCommand());
    }
    if (c.getArgs() != null) {
      argv.addAll(c.getArgs());
    }
    Map<String, String> env = new LinkedHashMap<>();
    if (c.getEnv() != null) {
      for (EnvVar v : c.getEnv()) {
        env.put(v.getName(), v.getValue() == null ? "" : v.getValue());
      }
    }
    env.putAll(launch.env());
    if (hostHasGpus) {
      env.put("CUDA_VISIBLE_DEVICES", gpus.stream().map(String::valueOf).collect(Collectors.joining(",")));
    }
    return new LaunchCommand(argv, workingDir(job, c), env, log);
  }

  static Path workingDir(TrainingJob job, Container c) {
    Map<String, String> annotations = job.getMetadata().getAnnotations();
    String manifestDir = annotations == null ? null : annotations.get(MANIFEST_DIR);
    Path base = manifestDir == null ? Path.of("").toAbsolutePath() : Path.of(manifestDir);
    return c.getWorkingDir() == null || c.getWorkingDir().isBlank() ? base : base.resolve(c.getWorkingDir());
  }
}
