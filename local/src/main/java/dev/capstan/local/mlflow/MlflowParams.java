package dev.capstan.local.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The parameters of one MLflow request, from its JSON body (POST, PATCH, DELETE) or its query
 * string (GET, and DELETE without a body), read with MLflow's field names. Every value is checked
 * for type and size here; a wrong one is {@code INVALID_PARAMETER_VALUE} naming the parameter.
 * Unknown parameters are ignored, as MLflow's server does.
 */
final class MlflowParams {
  static final int MAX_NAME = 256;
  static final int MAX_TAG_KEY = 250;
  static final int MAX_TAG_VALUE = 5000;
  static final int MAX_TAGS = 100;
  static final int MAX_DESCRIPTION = 65_536;
  static final int MAX_SOURCE = 4096;
  static final int MAX_FILTER = 4096;
  static final int MAX_ORDER_BY = 10;
  private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,17}");

  private final ObjectNode values;

  private MlflowParams(ObjectNode values) {
    this.values = values;
  }

  static MlflowParams of(ObjectNode body) {
    return new MlflowParams(body);
  }

  /** A query string's parameters; a name given more than once becomes a list ({@code order_by}). */
  static MlflowParams ofQuery(String rawQuery) {
    ObjectNode values = JsonNodeFactory.instance.objectNode();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return new MlflowParams(values);
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      JsonNode seen = values.get(key);
      if (seen == null) {
        values.put(key, value);
      } else if (seen.isArray()) {
        ((ArrayNode) seen).add(value);
      } else {
        values.putArray(key).add(seen).add(value);
      }
    }
    return new MlflowParams(values);
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw MlflowError.invalid("malformed query string: " + e.getMessage());
    }
  }

  String requiredString(String name, int max) {
    String value = optionalString(name, max);
    if (value == null || value.isEmpty()) {
      throw MlflowError.invalid("Missing value for required parameter '" + name + "'.");
    }
    return value;
  }

  /** The string, or null when absent. */
  String optionalString(String name, int max) {
    JsonNode node = values.get(name);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw MlflowError.invalid("Invalid value " + node + " for parameter '" + name + "' supplied: must be a string.");
    }
    return bounded(name, node.asText(), max);
  }

  /** A model version number, sent as a string of digits as MLflow does (a JSON integer is taken too). */
  long version(String name) {
    JsonNode node = values.get(name);
    String text = node == null || node.isNull() ? null : node.isIntegralNumber() ? node.asText() : node.isTextual() ? node.asText() : null;
    if (node != null && !node.isNull() && text == null) {
      throw MlflowError.invalid("Invalid value " + node + " for parameter '" + name + "' supplied: must be a version number.");
    }
    if (text == null || text.isEmpty()) {
      throw MlflowError.invalid("Missing value for required parameter '" + name + "'.");
    }
    if (!VERSION.matcher(text).matches()) {
      throw MlflowError.invalid("Invalid value '" + abbreviate(text) + "' for parameter '" + name
          + "' supplied: a version is a positive integer.");
    }
    return Long.parseLong(text);
  }

  /** An integer within {@code [1, max]}, or {@code fallback} when absent. */
  long boundedLong(String name, long fallback, long max) {
    JsonNode node = values.get(name);
    if (node == null || node.isNull() || (node.isTextual() && node.asText().isEmpty())) {
      return fallback;
    }
    long value;
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      value = node.asLong();
    } else if (node.isTextual() && node.asText().matches("-?[0-9]{1,18}")) {
      value = Long.parseLong(node.asText());
    } else {
      throw MlflowError.invalid("Invalid value " + abbreviate(node.toString()) + " for parameter '" + name + "' supplied: must be an integer.");
    }
    if (value < 1 || value > max) {
      throw MlflowError.invalid("Invalid value " + value + " for parameter '" + name + "' supplied: it must be between 1 and " + max + ".");
    }
    return value;
  }

  /** MLflow's {@code tags: [{"key": …, "value": …}]}, in order; absent means none. */
  Map<String, String> tags(String name) {
    JsonNode node = values.get(name);
    Map<String, String> tags = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return tags;
    }
    if (!node.isArray()) {
      throw MlflowError.invalid("Invalid value for parameter '" + name + "' supplied: must be a list of {key, value}.");
    }
    if (node.size() > MAX_TAGS) {
      throw MlflowError.invalid("Invalid value for parameter '" + name + "' supplied: at most " + MAX_TAGS + " tags.");
    }
    for (int i = 0; i < node.size(); i++) {
      JsonNode tag = node.get(i);
      String path = name + "[" + i + "]";
      if (!tag.isObject() || !tag.path("key").isTextual() || tag.path("key").asText().isEmpty()) {
        throw MlflowError.invalid("Invalid value for parameter '" + path + ".key' supplied: a tag needs a non-empty string key.");
      }
      JsonNode value = tag.path("value");
      if (!value.isMissingNode() && !value.isNull() && !value.isTextual()) {
        throw MlflowError.invalid("Invalid value for parameter '" + path + ".value' supplied: must be a string.");
      }
      tags.put(bounded(path + ".key", tag.get("key").asText(), MAX_TAG_KEY),
          bounded(path + ".value", value.isTextual() ? value.asText() : "", MAX_TAG_VALUE));
    }
    return tags;
  }

  /** A list of strings, given once or repeated ({@code order_by=a&order_by=b}, or a JSON array). */
  List<String> strings(String name, int maxCount, int maxLength) {
    JsonNode node = values.get(name);
    List<String> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    JsonNode items = node.isArray() ? node : JsonNodeFactory.instance.arrayNode().add(node);
    if (items.size() > maxCount) {
      throw MlflowError.invalid("Invalid value for parameter '" + name + "' supplied: at most " + maxCount + " entries.");
    }
    for (int i = 0; i < items.size(); i++) {
      if (!items.get(i).isTextual()) {
        throw MlflowError.invalid("Invalid value for parameter '" + name + "[" + i + "]' supplied: must be a string.");
      }
      out.add(bounded(name + "[" + i + "]", items.get(i).asText(), maxLength));
    }
    return out;
  }

  private static String bounded(String name, String value, int max) {
    if (value.length() > max) {
      throw MlflowError.invalid("Invalid value for parameter '" + name + "' supplied: longer than " + max + " characters.");
    }
    return value;
  }

  static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "…";
  }
}
