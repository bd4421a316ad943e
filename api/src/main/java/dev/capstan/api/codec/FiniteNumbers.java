package dev.capstan.api.codec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.validation.FieldError;
import dev.capstan.api.validation.InvalidSpecException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Refuses numbers a manifest cannot mean: {@code 1e400} reads as infinity and {@code NaN} or
 * {@code Infinity} (where a parser lets them through) have no amount, so each is reported with its
 * field path before any field is converted, wherever in the document it stands.
 */
final class FiniteNumbers {
  private FiniteNumbers() {}

  static void check(JsonNode document) {
    List<FieldError> errors = new ArrayList<>();
    walk(document, "", errors);
    if (!errors.isEmpty()) {
      throw new InvalidSpecException(errors);
    }
  }

  private static void walk(JsonNode node, String path, List<FieldError> errors) {
    if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue()) && !node.isBigDecimal()) {
      errors.add(new FieldError(path, "must be a finite number within range (is " + node.asText() + ")"));
    } else if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        walk(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(), errors);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(node.get(i), path + "[" + i + "]", errors);
      }
    }
  }
}
