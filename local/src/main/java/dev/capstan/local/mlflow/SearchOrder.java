package dev.capstan.local.mlflow;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * MLflow's {@code order_by}: a list of {@code "<column> [ASC|DESC]"}, ASC by default, applied in
 * order and then the entity's own tiebreak. An unknown column is {@code INVALID_PARAMETER_VALUE}.
 */
final class SearchOrder {
  private SearchOrder() {}

  static <T> Comparator<T> parse(List<String> orderBy, Map<String, Comparator<T>> columns, Comparator<T> tiebreak) {
    Comparator<T> order = null;
    for (String entry : orderBy) {
      String[] words = entry.strip().split("\\s+");
      String column = words[0].replace("`", "");
      Comparator<T> by = columns.get(column);
      if (by == null || words.length > 2) {
        throw MlflowError.invalid("Invalid order_by '" + MlflowParams.abbreviate(entry) + "': use one of "
            + String.join(", ", columns.keySet().stream().sorted().toList()) + ", optionally followed by ASC or DESC.");
      }
      if (words.length == 2) {
        switch (words[1].toUpperCase(Locale.ROOT)) {
          case "ASC" -> { }
          case "DESC" -> by = by.reversed();
          default -> throw MlflowError.invalid("Invalid order_by '" + MlflowParams.abbreviate(entry) + "': the direction is ASC or DESC.");
        }
      }
      order = order == null ? by : order.thenComparing(by);
    }
    return order == null ? tiebreak : order.thenComparing(tiebreak);
  }
}
