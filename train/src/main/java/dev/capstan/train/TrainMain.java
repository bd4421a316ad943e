package dev.capstan.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code java dev.capstan.train.TrainMain --key value …}: the trainer without the CLI, for tests
 * and benchmarks. Settings are those of {@link TrainConfig#KEYS} plus {@code --config FILE}.
 */
public final class TrainMain {
  private TrainMain() {}

  public static void main(String[] args) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        System.err.println("capstan-train: error: expected --key value, got '" + arg + "'");
        System.exit(TrainRun.EXIT_USAGE);
      }
      String key = arg.substring(2);
      String value;
      int eq = key.indexOf('=');
      if (eq >= 0) {
        value = key.substring(eq + 1);
        key = key.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        System.err.println("capstan-train: error: --" + key + " needs a value");
        System.exit(TrainRun.EXIT_USAGE);
        return;
      }
      settings.put(key, value);
    }
    System.exit(TrainRun.run(settings, System.getenv(), Path.of("").toAbsolutePath(), System.out, System.err,
        StopRequest.onSigterm()));
  }
}
