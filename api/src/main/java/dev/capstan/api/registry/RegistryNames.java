package dev.capstan.api.registry;

import dev.capstan.api.validation.Errors;
import dev.capstan.api.validation.InvalidSpecException;
import java.util.regex.Pattern;

/**
 * Names in the registry and the checks that keep them safe to use in paths and URLs: model names
 * are DNS labels, versions are decimal numbers, alias names are letters, digits, '_' and '-'.
 * File paths inside a version follow the artifact stores' rule (core {@code ArtifactPath}).
 */
public final class RegistryNames {
  private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9]([-_A-Za-z0-9]*[A-Za-z0-9])?");
  private static final Pattern RESERVED_ALIAS = Pattern.compile("(?i)latest|v[0-9]+");
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,12}");

  private RegistryNames() {}

  /** The stored name of a version: {@code iris-3}. */
  public static String versionObjectName(String model, long version) {
    return model + "-" + version;
  }

  public static void checkModelName(Errors errors, String path, String name) {
    errors.dnsLabel(path, name, RegistryLimits.MODEL_NAME);
  }

  /** Checks a model name, throwing with the field path. */
  public static String modelName(String path, String name) {
    Errors errors = new Errors();
    checkModelName(errors, path, name);
    errors.throwIfAny();
    return name;
  }

  /** Parses a version as a user or URL gives it: decimal digits only, 1..{@link RegistryLimits#MAX_VERSION}. */
  public static long version(String path, String text) {
    if (text == null || !DIGITS.matcher(text).matches()) {
      throw new InvalidSpecException(path, "must be a version number (1 to " + RegistryLimits.MAX_VERSION + "), is '" + text + "'");
    }
    long v = Long.parseLong(text);
    if (v < 1) {
      throw new InvalidSpecException(path, "must be at least 1 (is " + v + ")");
    }
    return v;
  }

  public static void checkAlias(Errors errors, String path, String alias) {
    if (alias == null || alias.isEmpty()) {
      errors.add(path, "required");
    } else if (alias.length() > RegistryLimits.ALIAS_NAME) {
      errors.add(path, "must be at most " + RegistryLimits.ALIAS_NAME + " characters (is " + alias.length() + ")");
    } else if (!ALIAS.matcher(alias).matches()) {
      errors.add(path, "must be letters, digits, '_' and '-', starting and ending with a letter or digit (is '" + alias + "')");
    } else if (RESERVED_ALIAS.matcher(alias).matches()) {
      errors.add(path, "'" + alias + "' is reserved (latest and v<number> name versions themselves)");
    }
  }

  public static String alias(String path, String alias) {
    Errors errors = new Errors();
    checkAlias(errors, path, alias);
    errors.throwIfAny();
    return alias;
  }
}
