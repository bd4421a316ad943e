package dev.capstan.api.registry;

import dev.capstan.api.validation.InvalidSpecException;
import java.util.Optional;

/**
 * A registry reference in MLflow's form: {@code models:/NAME/VERSION} or {@code models:/NAME@ALIAS}.
 * Names, versions and aliases follow {@link RegistryNames}, checked after the URI is split, so a
 * {@code ..} or {@code %2e%2e} never gets further than the parse.
 */
public record ModelUri(String model, Optional<Long> version, Optional<String> alias) {
  public static final String SCHEME = "models:/";

  public ModelUri {
    if (version.isPresent() == alias.isPresent()) {
      throw new IllegalArgumentException("a model URI names a version or an alias, exactly one");
    }
  }

  public static boolean isModelUri(String text) {
    return text != null && text.startsWith(SCHEME);
  }

  /** Parses {@code text}; a malformed one is refused with {@code path} as its field. */
  public static ModelUri parse(String path, String text) {
    if (!isModelUri(text)) {
      throw new InvalidSpecException(path, "must be models:/NAME/VERSION or models:/NAME@ALIAS (is '" + text + "')");
    }
    String rest = text.substring(SCHEME.length());
    int at = rest.indexOf('@');
    int slash = rest.indexOf('/');
    if (at > 0 && slash < 0) {
      return new ModelUri(RegistryNames.modelName(path, rest.substring(0, at)), Optional.empty(),
          Optional.of(RegistryNames.alias(path, rest.substring(at + 1))));
    }
    if (slash > 0 && at < 0 && rest.indexOf('/', slash + 1) < 0) {
      return new ModelUri(RegistryNames.modelName(path, rest.substring(0, slash)),
          Optional.of(RegistryNames.version(path, rest.substring(slash + 1))), Optional.empty());
    }
    throw new InvalidSpecException(path, "must be models:/NAME/VERSION or models:/NAME@ALIAS (is '" + text + "')");
  }

  @Override
  public String toString() {
    return SCHEME + model + version.map(v -> "/" + v).orElseGet(() -> "@" + alias.orElseThrow());
  }
}
