package dev.capstan.api.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Collects field errors while a validator walks a manifest. */
public final class Errors {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

  private final List<FieldError> errors = new ArrayList<>();

  public void add(String path, String reason) {
    errors.add(new FieldError(path, reason));
  }

  public boolean isEmpty() {
    return errors.isEmpty();
  }

  public List<FieldError> list() {
    return List.copyOf(errors);
  }

  public void throwIfAny() {
    if (!errors.isEmpty()) {
      throw new InvalidSpecException(errors);
    }
  }

  /** Checks an RFC 1123 label of at most {@code max} characters. */
  public void dnsLabel(String path, String value, int max) {
    if (value == null || value.isEmpty()) {
      add(path, "required");
    } else if (!DNS_LABEL.matcher(value).matches()) {
      add(path, "must be lowercase letters, digits and '-', starting and ending with a letter or digit");
    } else if (value.length() > max) {
      add(path, "must be at most " + max + " characters (is " + value.length() + ")");
    }
  }

  public void envName(String path, String value) {
    if (value == null || !ENV_NAME.matcher(value).matches()) {
      add(path, "invalid environment variable name '" + value + "'");
    }
  }

  public void atLeast(String path, Number value, long min) {
    if (value != null && value.longValue() < min) {
      add(path, "must be at least " + min + " (is " + value + ")");
    }
  }

  /** Checks {@code min <= value <= max}; an absent value is left to the caller's default. */
  public void between(String path, Number value, long min, long max) {
    if (value == null) {
      return;
    }
    if (value.longValue() < min) {
      add(path, "must be at least " + min + " (is " + value + ")");
    } else if (value.longValue() > max) {
      add(path, "must be at most " + max + " (is " + value + ")");
    }
  }

  /** Checks that a list (or map) given by the user has at most {@code max} entries. */
  public boolean atMostEntries(String path, int size, int max) {
    if (size > max) {
      add(path, "must have at most " + max + " entries (has " + size + ")");
      return false;
    }
    return true;
  }

  /** Checks that a string is at most {@code max} characters long. */
  public void atMostChars(String path, String value, int max) {
    if (value != null && value.length() > max) {
      add(path, "must be at most " + max + " characters (is " + value.length() + ")");
    }
  }

  public <E extends Enum<E>> E oneOf(String path, String value, Class<E> type, E fallback) {
    if (value == null) {
      return fallback;
    }
    for (E constant : type.getEnumConstants()) {
      if (WireEnum.wireName(constant).equals(value)) {
        return constant;
      }
    }
    add(path, "must be one of " + WireEnum.wireNames(type) + " (is '" + value + "')");
    return fallback;
  }
}
