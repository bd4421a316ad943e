package dev.capstan.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything a training run is told, from a YAML file ({@code config}) and flags, flags winning.
 * Keys are the flag names without dashes: {@code batch-size: 64} in YAML is {@code --batch-size 64}.
 * See {@link #KEYS} for the whole list with defaults.
 */
public record TrainConfig(
    String model, int[] hidden, int[] channels, String optimizer, double learningRate, double momentum,
    int batchSize, long steps, int epochs, long seed, String data, double heldOut, Float inputScale,
    Path checkpointDir, int checkpointEvery, int keepCheckpoints, Path output, int logEvery,
    Duration timeout, Duration rendezvousTimeout, int bucketKb, int threads, int stepDelayMs) {

  /** Every setting with its default ("" means unset). */
  public static final Map<String, String> KEYS = defaults();

  /** The variable a Capstan job with {@code spec.output} finds its output directory in. */
  public static final String OUTPUT_DIR_ENV = "CAPSTAN_OUTPUT_DIR";

  private static Map<String, String> defaults() {
    Map<String, String> map = new LinkedHashMap<>();
    map.put("model", "mlp");
    map.put("hidden", "");
    map.put("channels", "16,32");
    map.put("optimizer", "sgd");
    map.put("lr", "");
    map.put("momentum", "0.9");
    map.put("batch-size", "64");
    map.put("steps", "");
    map.put("epochs", "10");
    map.put("seed", "42");
    map.put("data", "digits");
    map.put("held-out", "0.2");
    map.put("input-scale", "");
    map.put("checkpoint-dir", "");
    map.put("checkpoint-every", "50");
    map.put("keep-checkpoints", "3");
    map.put("output", "");
    map.put("log-every", "10");
    map.put("timeout", "20");
    map.put("rendezvous-timeout", "120");
    map.put("bucket-kb", "1024");
    map.put("threads", "0");
    map.put("step-delay-ms", "0");
    return java.util.Collections.unmodifiableMap(map);
  }

  /**
   * Builds the configuration from {@code given} settings (flag name → text); a {@code config} key
   * names a YAML file whose settings apply first. Relative paths resolve against {@code baseDir}.
   */
  public static TrainConfig from(Map<String, String> given, Path baseDir) throws IOException {
    return from(given, baseDir, Map.of());
  }

  /**
   * As {@link #from(Map, Path)}; when neither the settings nor the config file name an output,
   * {@code CAPSTAN_OUTPUT_DIR} from {@code env} does: where a job with {@code spec.output} leaves
   * the model that is registered when it succeeds.
   */
  public static TrainConfig from(Map<String, String> given, Path baseDir, Map<String, String> env) throws IOException {
    Map<String, String> settings = new LinkedHashMap<>(KEYS);
    String file = given.get("config");
    if (file != null && !file.isBlank()) {
      settings.putAll(readYaml(baseDir.resolve(file)));
    }
    for (Map.Entry<String, String> entry : given.entrySet()) {
      if (!entry.getKey().equals("config") && entry.getValue() != null) {
        settings.put(entry.getKey(), entry.getValue());
      }
    }
    String outputDir = env.get(OUTPUT_DIR_ENV);
    if (settings.get("output").isBlank() && outputDir != null && !outputDir.isBlank()) {
      settings.put("output", outputDir);
    }
    Set<String> unknown = new TreeSet<>(settings.keySet());
    unknown.removeAll(KEYS.keySet());
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown setting(s) " + unknown + "; known: " + KEYS.keySet());
    }
    String model = choice(settings, "model", List.of("mlp", "cnn"));
    String optimizer = choice(settings, "optimizer", List.of("sgd", "adam"));
    String hidden = settings.get("hidden").isBlank() ? (model.equals("mlp") ? "128,64" : "64") : settings.get("hidden");
    String lr = settings.get("lr").isBlank() ? (optimizer.equals("sgd") ? "0.05" : "0.001") : settings.get("lr");
    String data = settings.get("data");
    String scale = settings.get("input-scale");
    return new TrainConfig(model, ints("hidden", hidden), ints("channels", settings.get("channels")), optimizer,
        positive("lr", lr), number("momentum", settings.get("momentum")),
        (int) whole("batch-size", settings.get("batch-size"), 1),
        settings.get("steps").isBlank() ? 0 : whole("steps", settings.get("steps"), 1),
        (int) whole("epochs", settings.get("epochs"), 1), whole("seed", settings.get("seed"), Long.MIN_VALUE),
        data, number("held-out", settings.get("held-out")),
        scale.isBlank() ? null : (float) number("input-scale", scale),
        path(baseDir, settings.get("checkpoint-dir")), (int) whole("checkpoint-every", settings.get("checkpoint-every"), 1),
        (int) whole("keep-checkpoints", settings.get("keep-checkpoints"), 1), path(baseDir, settings.get("output")),
        (int) whole("log-every", settings.get("log-every"), 1), seconds("timeout", settings.get("timeout")),
        seconds("rendezvous-timeout", settings.get("rendezvous-timeout")),
        (int) whole("bucket-kb", settings.get("bucket-kb"), 1), (int) whole("threads", settings.get("threads"), 0),
        (int) whole("step-delay-ms", settings.get("step-delay-ms"), 0));
  }

  private static Map<String, String> readYaml(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("config file not found: " + file);
    }
    Map<?, ?> raw = new ObjectMapper(new YAMLFactory()).readValue(file.toFile(), Map.class);
    Map<String, String> settings = new LinkedHashMap<>();
    if (raw != null) {
      raw.forEach((key, value) -> settings.put(String.valueOf(key), value instanceof List<?> list
          ? String.join(",", list.stream().map(String::valueOf).toList()) : String.valueOf(value)));
    }
    return settings;
  }

  private static String choice(Map<String, String> settings, String key, List<String> allowed) {
    String value = settings.get(key).trim().toLowerCase(java.util.Locale.ROOT);
    if (!allowed.contains(value)) {
      throw new IllegalArgumentException(key + " must be one of " + allowed + ", got '" + value + "'");
    }
    return value;
  }

  private static int[] ints(String key, String text) {
    try {
      return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty())
          .mapToInt(Integer::parseInt).toArray();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be comma-separated integers, got '" + text + "'");
    }
  }

  private static double number(String key, String text) {
    try {
      return Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, got '" + text + "'");
    }
  }

  private static double positive(String key, String text) {
    double value = number(key, text);
    if (!(value > 0)) {
      throw new IllegalArgumentException(key + " must be positive, got " + text);
    }
    return value;
  }

  private static long whole(String key, String text, long min) {
    try {
      long value = Long.parseLong(text.trim());
      if (value < min) {
        throw new IllegalArgumentException(key + " must be at least " + min + ", got " + value);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, got '" + text + "'");
    }
  }

  private static Duration seconds(String key, String text) {
    double value = number(key, text);
    if (!(value > 0)) {
      throw new IllegalArgumentException(key + " must be a positive number of seconds, got " + text);
    }
    return Duration.ofMillis(Math.round(value * 1000));
  }

  private static Path path(Path baseDir, String text) {
    return text == null || text.isBlank() ? null : baseDir.resolve(text).normalize();
  }
}
