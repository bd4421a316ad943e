package dev.capstan.local.mlflow;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Search pages: {@code page_token} is opaque to clients and holds the offset of the next page
 * (base64 of {@code {"offset": n}}, the form MLflow's own server uses). A token this server did not
 * write is {@code INVALID_PARAMETER_VALUE}.
 */
final class PageToken {
  private static final Pattern OFFSET = Pattern.compile("\\{\"offset\": ?([0-9]{1,9})}");
  private static final int MAX_TOKEN = 256;

  private PageToken() {}

  /** One page of {@code sorted}, and the token of the next one (null on the last page). */
  record Page<T>(List<T> items, String nextPageToken) {}

  static <T> Page<T> page(List<T> sorted, long maxResults, String token) {
    int offset = offset(token);
    int from = Math.min(offset, sorted.size());
    int to = (int) Math.min(sorted.size(), from + maxResults);
    String next = to < sorted.size() ? encode(to) : null;
    return new Page<>(List.copyOf(sorted.subList(from, to)), next);
  }

  static String encode(int offset) {
    return Base64.getEncoder().encodeToString(("{\"offset\": " + offset + "}").getBytes(StandardCharsets.UTF_8));
  }

  private static int offset(String token) {
    if (token == null || token.isEmpty()) {
      return 0;
    }
    try {
      if (token.length() <= MAX_TOKEN) {
        Matcher m = OFFSET.matcher(new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8));
        if (m.matches()) {
          return Integer.parseInt(m.group(1));
        }
      }
    } catch (IllegalArgumentException e) {
      // not base64: refused below like any other token this server did not write
    }
    throw MlflowError.invalid("Invalid page token '" + MlflowParams.abbreviate(token) + "': pass next_page_token from the previous page.");
  }
}
