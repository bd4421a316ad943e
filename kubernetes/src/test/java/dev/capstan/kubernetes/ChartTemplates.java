package dev.capstan.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders the chart's templates for tests, without Helm: the subset they use. {@code if .Values.x}
 * tests the value; any other {@code if} is false and a {@code range} renders nothing (so a
 * {@code lookup} finds nothing, as under {@code helm template}); {@code .Files.Get} reads the
 * chart's file; {@code .Release.Namespace} and {@code .Release.Name} are {@code release};
 * {@code .Values.x | quote} quotes and {@code toYaml .Values.x | nindent n} indents.
 */
public final class ChartTemplates {
  private static final Pattern ACTION = Pattern.compile("\\{\\{(-?)\\s*(.*?)\\s*(-?)}}", Pattern.DOTALL);

  private final Path chart;
  private final JsonNode values;

  public ChartTemplates(Path chart, JsonNode values) {
    this.chart = chart;
    this.values = values;
  }

  /** As Helm: {@code {{-} trims the whitespace before an action, {@code -}}} the whitespace after it. */
  public String render(String template) {
    String text;
    try {
      text = Files.readString(chart.resolve("templates").resolve(template));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    StringBuilder out = new StringBuilder();
    Deque<Boolean> shown = new ArrayDeque<>();
    Matcher m = ACTION.matcher(text);
    int at = 0;
    boolean trimNext = false;
    while (m.find()) {
      String before = text.substring(at, m.start());
      if (trimNext) {
        before = before.stripLeading();
      }
      if (m.group(1).equals("-")) {
        before = before.stripTrailing();
      }
      boolean visible = !shown.contains(false);
      if (visible) {
        out.append(before);
      }
      at = m.end();
      trimNext = m.group(3).equals("-");
      String action = m.group(2);
      if (action.startsWith("if ")) {
        String test = action.substring(3).trim();
        shown.push(test.startsWith(".Values.") && truthy(value(test)));
      } else if (action.startsWith("range ")) {
        shown.push(false);
      } else if (action.equals("end")) {
        shown.pop();
      } else if (visible) {
        out.append(expression(action));
      }
    }
    String rest = text.substring(at);
    out.append(trimNext ? rest.stripLeading() : rest);
    return out.toString();
  }

  private String expression(String action) {
    if (action.startsWith("/*")) {
      return "";
    }
    if (action.equals(".Release.Namespace") || action.equals(".Release.Name")) {
      return "release";
    }
    Matcher toYaml = Pattern.compile("toYaml (\\.Values\\.[\\w.]+) \\| nindent (\\d+)").matcher(action);
    if (toYaml.matches()) {
      String indent = " ".repeat(Integer.parseInt(toYaml.group(2)));
      try {
        String yaml = dev.capstan.api.codec.Manifests.yaml().writeValueAsString(value(toYaml.group(1))).replaceFirst("^---\\n", "");
        return "\n" + indent + yaml.strip().replace("\n", "\n" + indent);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Matcher files = Pattern.compile("\\.Files\\.Get \"([^\"]+)\"").matcher(action);
    if (files.matches()) {
      try {
        return Files.readString(chart.resolve(files.group(1)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Matcher quoted = Pattern.compile("(\\.Values\\.[\\w.]+) \\| quote").matcher(action);
    if (quoted.matches()) {
      return "\"" + value(quoted.group(1)).asText() + "\"";
    }
    if (action.matches("\\.Values\\.[\\w.]+")) {
      return value(action).asText();
    }
    throw new IllegalArgumentException("not in the subset ChartTemplates renders: {{ " + action + " }}");
  }

  private JsonNode value(String path) {
    JsonNode node = values;
    for (String key : path.substring(".Values.".length()).split("\\.")) {
      node = node.path(key);
    }
    return node;
  }

  private static boolean truthy(JsonNode v) {
    return !(v.isMissingNode() || v.isNull() || v.isBoolean() && !v.asBoolean() || v.isTextual() && v.asText().isEmpty()
        || v.isNumber() && v.asDouble() == 0);
  }
}
