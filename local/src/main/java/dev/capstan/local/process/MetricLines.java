package dev.capstan.local.process;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads metrics from a training process's output: {@code name=value} pairs as Katib's default
 * collector matches them. A value must end at whitespace, a comma or the line's end, so text
 * such as {@code addr=127.0.0.1} is not taken for the metric {@code addr=127}.
 */
public final class MetricLines {
  private static final Pattern METRIC = Pattern.compile(
      "([\\w|-]+)\\s*=\\s*([+-]?\\d*(\\.\\d+)?([Ee][+-]?\\d+)?)(?=$|[\\s,;])");

  private MetricLines() {}

  public static Map<String, String> parse(String line) {
    Map<String, String> found = new LinkedHashMap<>();
    Matcher m = METRIC.matcher(line);
    while (m.find()) {
      String value = m.group(2);
      if (value.chars().anyMatch(Character::isDigit)) {
        found.put(m.group(1), value);
      }
    }
    return found;
  }
}
