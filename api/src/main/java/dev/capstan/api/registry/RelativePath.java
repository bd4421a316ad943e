package dev.capstan.api.registry;

/**
 * The rule for relative paths inside an artifact (keys, file paths, a job's output path):
 * {@code /}-separated, segments that are neither empty, {@code .} nor {@code ..} (also when
 * percent-decoded, so {@code %2e%2e} is refused), no backslash, NUL or other control character, at
 * most {@value #MAX_LENGTH} characters in all and {@value #MAX_SEGMENT} per segment. Such a path
 * names the same place on every store and never one outside it. Core's {@code ArtifactPath} turns
 * a refusal into its typed error.
 */
public final class RelativePath {
  public static final int MAX_LENGTH = 1024;
  public static final int MAX_SEGMENT = 255;

  private RelativePath() {}

  /** Why the path breaks the rule, or null when it follows it. */
  public static String problem(String path) {
    if (path == null || path.isEmpty()) {
      return "must not be empty";
    }
    if (path.length() > MAX_LENGTH) {
      return "is longer than " + MAX_LENGTH + " characters";
    }
    if (path.startsWith("/")) {
      return "must be relative, not absolute";
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '\\') {
        return "must use / between segments, not \\";
      }
      if (Character.isISOControl(c)) {
        return "must not hold a NUL or other control character";
      }
    }
    for (String segment : path.split("/", -1)) {
      String reason = segmentProblem(segment);
      if (reason != null) {
        return reason;
      }
    }
    return null;
  }

  private static String segmentProblem(String segment) {
    if (segment.isEmpty()) {
      return "must not have an empty segment (// or a trailing /)";
    }
    if (segment.length() > MAX_SEGMENT) {
      return "has a segment longer than " + MAX_SEGMENT + " characters";
    }
    String decoded = percentDecoded(segment);
    if (decoded.equals(".") || decoded.equals("..")) {
      return "must not have a . or .. segment (also percent-encoded)";
    }
    if (!decoded.equals(segment) && (decoded.contains("/") || decoded.contains("\\") || hasControl(decoded))) {
      return "must not hide /, \\ or a control character in percent-encoding";
    }
    return null;
  }

  /** Decodes %XX sequences until nothing changes (so %252e is decoded twice). */
  private static String percentDecoded(String segment) {
    String current = segment;
    for (int round = 0; round < 4 && current.indexOf('%') >= 0; round++) {
      var out = new StringBuilder(current.length());
      for (int i = 0; i < current.length(); i++) {
        char c = current.charAt(i);
        if (c == '%' && i + 2 < current.length()
            && hex(current.charAt(i + 1)) >= 0 && hex(current.charAt(i + 2)) >= 0) {
          out.append((char) (hex(current.charAt(i + 1)) * 16 + hex(current.charAt(i + 2))));
          i += 2;
        } else {
          out.append(c);
        }
      }
      String next = out.toString();
      if (next.equals(current)) {
        break;
      }
      current = next;
    }
    return current;
  }

  private static int hex(char c) {
    return Character.digit(c, 16);
  }

  private static boolean hasControl(String s) {
    return s.chars().anyMatch(Character::isISOControl);
  }

}
