package dev.capstan.core.registry;

import dev.capstan.api.registry.RelativePath;

/**
 * The rule for artifact keys and file paths ({@link RelativePath}, api's one copy of it), refusals
 * thrown as {@link ArtifactException} (INVALID_PATH) naming the field.
 */
public final class ArtifactPath {
  public static final int MAX_LENGTH = RelativePath.MAX_LENGTH;
  public static final int MAX_SEGMENT = RelativePath.MAX_SEGMENT;

  private ArtifactPath() {}

  /** Returns the path when it follows the rule; otherwise throws {@link ArtifactException} (INVALID_PATH) naming the field. */
  public static String check(String path, String field) {
    String reason = problem(path);
    if (reason != null) {
      throw new ArtifactException(ArtifactException.Reason.INVALID_PATH,
          field + ": " + (path == null ? "null" : quoted(path)) + " " + reason);
    }
    return path;
  }

  /** Why the path breaks the rule, or null when it follows it. */
  public static String problem(String path) {
    return RelativePath.problem(path);
  }

  private static String quoted(String path) {
    var out = new StringBuilder("\"");
    for (char c : path.toCharArray()) {
      out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return out.append('"').toString();
  }
}
