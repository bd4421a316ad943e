package dev.capstan.core.registry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A compare-and-set change of one alias: it applies only to the Model as the caller read it (its
 * resourceVersion); a stale read is refused, so of two concurrent moves one wins and the other
 * is told to read again. Pure: the caller stores {@link Result#aliases()} and records the event.
 */
public final class AliasChange {
  private AliasChange() {}

  /** The aliases after the change, and the alias's target before and after (null when it had or has none). */
  public record Result(Map<String, Long> aliases, String alias, Long from, Long to) {
    public boolean changed() {
      return !Objects.equals(from, to);
    }

    /** {@code production: 2 -> 3}, {@code production: (none) -> 3}, {@code production: 3 -> (deleted)}. */
    public String describe() {
      return alias + ": " + (from == null ? "(none)" : from) + " -> " + (to == null ? "(deleted)" : to);
    }
  }

  /**
   * Points {@code alias} at {@code version}. {@code expected} is the resourceVersion the caller
   * read (null: not checked), {@code actual} the stored one; {@code target} is the version's state.
   */
  public static Result set(Map<String, Long> aliases, String alias, long version, ModelVersionState target,
      String expected, String actual) {
    checkFresh(expected, actual);
    if (target != ModelVersionState.READY) {
      throw new RegistryException(RegistryException.Reason.WRONG_STATE,
          "an alias can point only at a READY version; version " + version + " is " + target);
    }
    Map<String, Long> next = new LinkedHashMap<>(aliases);
    Long from = next.put(alias, version);
    return new Result(next, alias, from, version);
  }

  /** Removes {@code alias}; one that does not exist is NOT_FOUND. */
  public static Result delete(Map<String, Long> aliases, String alias, String expected, String actual) {
    checkFresh(expected, actual);
    if (!aliases.containsKey(alias)) {
      throw new RegistryException(RegistryException.Reason.NOT_FOUND, "alias '" + alias + "' does not exist");
    }
    Map<String, Long> next = new LinkedHashMap<>(aliases);
    Long from = next.remove(alias);
    return new Result(next, alias, from, null);
  }

  /** Refuses a version that an alias points at, naming the alias. */
  public static void checkDeletable(Map<String, Long> aliases, long version) {
    for (Map.Entry<String, Long> e : aliases.entrySet()) {
      if (e.getValue() == version) {
        throw new RegistryException(RegistryException.Reason.IN_USE, "version " + version
            + " is in use by alias '" + e.getKey() + "'; move or delete the alias first");
      }
    }
  }

  private static void checkFresh(String expected, String actual) {
    if (expected != null && !expected.equals(actual)) {
      throw new RegistryException(RegistryException.Reason.STALE, "the model changed since it was read (resourceVersion "
          + expected + ", now " + actual + "); read it again and retry");
    }
  }
}
