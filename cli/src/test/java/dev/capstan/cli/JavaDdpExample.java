package dev.capstan.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shipped java-ddp example as tests run it: replicas started from this build through the test
 * JVM's own classpath (the launcher script would rebuild when sources are newer), checkpoints and
 * the model under a test directory, a chattier and slower schedule; and what its logs say.
 */
final class JavaDdpExample {
  static final Pattern STEP = Pattern.compile("(?m)step=(\\d+) loss=");
  static final Pattern RESUMED = Pattern.compile("resuming from \\S+ at step (\\d+)");

  private JavaDdpExample() {}

  /**
   * The example's manifest with its outputs under {@code dir}, a checkpoint every
   * {@code checkpointEvery} steps, each step logged, and {@code trainerArgs} (already quoted YAML
   * list items, each preceded by ", ") added to the trainer's arguments.
   */
  static String forThisBuild(Path dir, int checkpointEvery, String trainerArgs) throws IOException {
    Path example = Path.of(System.getProperty("capstan.repo"), "examples", "training", "java-ddp.yaml");
    String java = Jobs.quote(LocalCapstan.javaBinary());
    String classpath = Jobs.quote(System.getProperty("java.class.path"));
    String text = Files.readString(example)
        .replace("command: [\"../../capstan\", \"train\"]", "command: [" + java + ", \"-Dai.djl.offline=true\", "
            + "\"-cp\", " + classpath + ", \"dev.capstan.cli.Main\", \"train\"]\n"
            + "              env: [{name: OPT_OUT_TRACKING, value: \"true\"}]")
        .replace("/tmp/capstan/java-ddp/checkpoints", dir.resolve("checkpoints").toString())
        .replace("/tmp/capstan/java-ddp/model", dir.resolve("model").toString())
        .replace("\"--checkpoint-every\", \"20\"", "\"--checkpoint-every\", \"" + checkpointEvery
            + "\", \"--log-every\", \"1\"" + trainerArgs);
    assertTrue(text.contains("dev.capstan.cli.Main") && text.contains("\"--log-every\", \"1\""), text);
    return text;
  }

  /** The last step a trainer's log reports finished, or -1. */
  static int lastStep(String log) {
    Matcher matcher = STEP.matcher(log);
    int last = -1;
    while (matcher.find()) {
      last = Integer.parseInt(matcher.group(1));
    }
    return last;
  }

  /** The first step a trainer's log reports, if any. */
  static OptionalInt firstStep(String log) {
    Matcher matcher = STEP.matcher(log);
    return matcher.find() ? OptionalInt.of(Integer.parseInt(matcher.group(1))) : OptionalInt.empty();
  }
}
