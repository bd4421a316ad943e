package dev.capstan.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.cli.ManifestFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's TrainingJobs: examples/demo/training.yaml as it is, except for the name, steps and
 * workers of the {@link DemoTraining} asked for, every replica running on the JVM and build the
 * demo itself runs on (so nothing is rebuilt or looked up mid-demo), checkpoints and model under
 * the demo's work directory, and, unless fast, each step slowed a little so that the training can
 * be watched.
 */
final class DemoJob {
  static final String FILE = "examples/demo/training.yaml";

  private DemoJob() {}

  static ManifestFiles.Manifest manifest(DemoRun run, DemoTraining training) {
    ManifestFiles.Manifest m = ManifestFiles.read(run.root().resolve(FILE).toString(), run.namespace()).get(0);
    ObjectNode doc = m.doc();
    ((ObjectNode) doc.path("metadata")).put("name", training.job());
    ObjectNode replicas = (ObjectNode) doc.path("spec").path("replicas");
    if (training.workers() == 0) {
      replicas.remove("worker");
    } else {
      ((ObjectNode) replicas.path("worker")).put("count", training.workers());
    }
    for (JsonNode group : replicas) {
      for (JsonNode container : group.path("template").path("spec").path("containers")) {
        adapt((ObjectNode) container, run, training);
      }
    }
    return new ManifestFiles.Manifest(m.source(), m.kind(), m.namespace(), training.job(), doc, m.kubeflow(), m.kserve());
  }

  private static void adapt(ObjectNode container, DemoRun run, DemoTraining training) {
    ArrayNode command = container.putArray("command");
    thisJvm().forEach(command::add);
    List<String> args = new ArrayList<>();
    container.path("args").forEach(a -> args.add(a.asText()));
    replaceValue(args, "--checkpoint-dir", training.checkpoints().toString());
    replaceValue(args, "--output", training.model().toString());
    replaceValue(args, "--steps", Integer.toString(training.steps()));
    args.addAll(List.of("--step-delay-ms", run.fast() ? "5" : "40"));
    ArrayNode newArgs = container.putArray("args");
    args.forEach(newArgs::add);
    ArrayNode env = container.putArray("env");
    env.addObject().put("name", "OPT_OUT_TRACKING").put("value", "true");
  }

  /** {@code java … dev.capstan.cli.Main train}: this very build, as the server itself is started. */
  static List<String> thisJvm() {
    List<String> argv = new ArrayList<>();
    argv.add(ProcessHandle.current().info().command().orElse("java"));
    argv.addAll(List.of("-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true"));
    argv.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.capstan.cli.Main", "train"));
    return argv;
  }

  private static void replaceValue(List<String> args, String flag, String value) {
    int i = args.indexOf(flag);
    if (i < 0 || i + 1 >= args.size()) {
      throw new IllegalStateException(FILE + " no longer passes " + flag + " to the trainer");
    }
    args.set(i + 1, value);
  }

  static Path file(DemoRun run) {
    return run.root().resolve(FILE);
  }
}
