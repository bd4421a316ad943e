package dev.capstan.api.codec;

import dev.capstan.api.training.TrainingJob;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The resource kinds Capstan serves, looked up by kind, plural or short name. */
public final class Kinds {
  /** One kind: its wire names and Java class. */
  public record KindInfo(String kind, String plural, String singular, List<String> shortNames,
      Class<? extends HasMetadata> type) {}

  public static final KindInfo TRAINING_JOB = new KindInfo(
      TrainingJob.KIND, TrainingJob.PLURAL, "trainingjob", List.of("tj", "trainingjob"), TrainingJob.class);

  private static final List<KindInfo> ALL = List.of(TRAINING_JOB);

  private Kinds() {}

  public static List<KindInfo> all() {
    return ALL;
  }

  public static Optional<KindInfo> byKind(String kind) {
    return ALL.stream().filter(k -> k.kind().equals(kind)).findFirst();
  }

  /** Resolves what a user types on the command line: {@code trainingjobs}, {@code TrainingJob}, {@code tj}. */
  public static Optional<KindInfo> lookup(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return ALL.stream()
        .filter(k -> k.plural().equals(n) || k.singular().equals(n) || k.kind().toLowerCase(Locale.ROOT).equals(n)
            || k.shortNames().contains(n))
        .findFirst();
  }
}
