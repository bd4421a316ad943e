package dev.capstan.api.registry;

import dev.capstan.api.validation.Errors;
import java.util.Map;
import java.util.regex.Pattern;

/** Checks what a user sets on a Model or ModelVersion, reporting every problem with its field path. */
public final class RegistryValidator {
  private static final Pattern TAG_KEY = Pattern.compile("[-_./ A-Za-z0-9]+");

  private RegistryValidator() {}

  public static void check(ModelSpec spec) {
    Errors errors = new Errors();
    if (spec != null) {
      errors.atMostChars("spec.description", spec.getDescription(), RegistryLimits.DESCRIPTION);
      tags(errors, "spec.tags", spec.getTags());
      Map<String, Long> aliases = spec.getAliases();
      if (aliases != null && errors.atMostEntries("spec.aliases", aliases.size(), RegistryLimits.ALIASES)) {
        aliases.forEach((alias, version) -> {
          String path = "spec.aliases." + alias;
          RegistryNames.checkAlias(errors, path, alias);
          if (version == null) {
            errors.add(path, "required");
          } else {
            errors.between(path, version, 1, RegistryLimits.MAX_VERSION);
          }
        });
      }
    }
    errors.throwIfAny();
  }

  /** The fields a user may set on a version: description, tags, metrics, source. */
  public static void check(ModelVersionSpec spec) {
    Errors errors = new Errors();
    if (spec != null) {
      errors.atMostChars("spec.description", spec.getDescription(), RegistryLimits.DESCRIPTION);
      errors.atMostChars("spec.source", spec.getSource(), RegistryLimits.SOURCE);
      tags(errors, "spec.tags", spec.getTags());
      Map<String, Double> metrics = spec.getMetrics();
      if (metrics != null && errors.atMostEntries("spec.metrics", metrics.size(), RegistryLimits.METRICS)) {
        metrics.forEach((name, value) -> {
          errors.atMostChars("spec.metrics." + name, name, RegistryLimits.METRIC_NAME);
          if (value == null || !Double.isFinite(value)) {
            errors.add("spec.metrics." + name, "must be a finite number");
          }
        });
      }
    }
    errors.throwIfAny();
  }

  private static void tags(Errors errors, String path, Map<String, String> tags) {
    if (tags == null || !errors.atMostEntries(path, tags.size(), RegistryLimits.TAGS)) {
      return;
    }
    tags.forEach((key, value) -> {
      String at = path + "." + key;
      if (key.isEmpty() || key.length() > RegistryLimits.TAG_KEY) {
        errors.add(at, "a tag key must be 1 to " + RegistryLimits.TAG_KEY + " characters");
      } else if (!TAG_KEY.matcher(key).matches()) {
        errors.add(at, "a tag key must be letters, digits, '_', '-', '.', '/' and spaces");
      }
      if (value == null) {
        errors.add(at, "required");
      } else {
        errors.atMostChars(at, value, RegistryLimits.TAG_VALUE);
      }
    });
  }
}
