package dev.capstan.api.serving;

import dev.capstan.api.registry.ModelUri;
import dev.capstan.api.validation.Errors;
import dev.capstan.api.validation.InvalidSpecException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a model's files are, as {@code storageUri} gives it: a path (relative to the manifest's
 * directory in local mode), {@code file://}, {@code http(s)://}, {@code s3://bucket/key}, or a
 * registry reference {@code models:/NAME/VERSION} or {@code models:/NAME@ALIAS}. Which of these a
 * control plane can fetch is its own affair (a fetch failure makes the revision fail, with why).
 */
public record StorageUri(String text, Scheme scheme) {
  /** The kinds of source, by URI scheme ({@code PATH} has none). */
  public enum Scheme {
    PATH(""),
    FILE("file"),
    HTTP("http"),
    HTTPS("https"),
    S3("s3"),
    MODELS("models");

    private final String prefix;

    Scheme(String prefix) {
      this.prefix = prefix;
    }

    public String prefix() {
      return prefix;
    }
  }

  private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):.*", Pattern.DOTALL);
  /** {@code scheme://authority/rest}: the authority (host, port, any user info) is group 1. */
  private static final Pattern AUTHORITY = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)([/?#].*)?", Pattern.DOTALL);

  /** Checks {@code text}, adding any problem to {@code errors} under {@code path}; empty when it is not valid. */
  public static Optional<StorageUri> check(Errors errors, String path, String text) {
    if (text == null || text.isBlank()) {
      errors.add(path, "required");
      return Optional.empty();
    }
    if (text.length() > InferenceServiceLimits.MAX_STORAGE_URI) {
      errors.add(path, "must be at most " + InferenceServiceLimits.MAX_STORAGE_URI + " characters (is " + text.length() + ")");
      return Optional.empty();
    }
    if (text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      errors.add(path, "must not contain control characters");
      return Optional.empty();
    }
    Matcher m = SCHEME.matcher(text);
    if (!m.matches()) {
      return Optional.of(new StorageUri(text, Scheme.PATH));
    }
    String prefix = m.group(1).toLowerCase(Locale.ROOT);
    Optional<Scheme> scheme = Arrays.stream(Scheme.values()).filter(s -> s != Scheme.PATH && s.prefix.equals(prefix)).findFirst();
    if (scheme.isEmpty()) {
      errors.add(path, "scheme '" + prefix + ":' is not supported (use a path, file://, http://, https://, s3://, "
          + "models:/NAME/VERSION or models:/NAME@ALIAS)");
      return Optional.empty();
    }
    int before = errors.list().size();
    switch (scheme.get()) {
      case MODELS -> registryRef(errors, path, text);
      case FILE -> {
        if (text.length() <= "file://".length() || !text.startsWith("file://")) {
          errors.add(path, "a file:// URI needs a path (file:///models/mlp.onnx)");
        }
      }
      default -> hierarchical(errors, path, text, scheme.get());
    }
    return errors.list().size() == before ? Optional.of(new StorageUri(text, scheme.get())) : Optional.empty();
  }

  /** The registry reference of a {@code models:/} source; empty for other sources. */
  public Optional<ModelUri> registryRef() {
    return scheme == Scheme.MODELS ? Optional.of(ModelUri.parse("storageUri", text)) : Optional.empty();
  }

  /** Whether a control plane must ask the model registry what this source is. */
  public boolean isRegistryRef() {
    return scheme == Scheme.MODELS;
  }

  private static void registryRef(Errors errors, String path, String text) {
    try {
      ModelUri.parse(path, text);
    } catch (InvalidSpecException e) {
      e.errors().forEach(f -> errors.add(f.path(), f.reason()));
    }
  }

  private static void hierarchical(Errors errors, String path, String text, Scheme scheme) {
    Matcher m = AUTHORITY.matcher(text);
    if (!m.matches() || text.chars().anyMatch(Character::isWhitespace)) {
      errors.add(path, "is not a valid URI (" + scheme.prefix + "://host/path, no spaces)");
      return;
    }
    String authority = m.group(1);
    String host = authority.replaceFirst("^.*@", "").replaceFirst(":[0-9]*$", "");
    if (authority.contains("@")) {
      errors.add(path, "must not carry credentials (user:password@)");
    } else if (host.isEmpty()) {
      errors.add(path, scheme == Scheme.S3 ? "an s3:// URI names a bucket (s3://bucket/key)" : "a URL needs a host");
    }
  }

}
