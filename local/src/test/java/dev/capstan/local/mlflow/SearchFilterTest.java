package dev.capstan.local.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The filter forms MLflow documents for registry searches, and the ones it refuses. */
class SearchFilterTest {
  private static final Set<String> STRINGS = Set.of("name", "run_id", "source_path");
  private static final Set<String> NUMBERS = Set.of("version_number");

  private record Entity(Map<String, String> attributes, Map<String, String> tags) implements SearchFilter.Attributes {
    @Override
    public String attribute(String name) {
      return attributes.get(name);
    }

    @Override
    public String tag(String key) {
      return tags.get(key);
    }
  }

  private static final Entity FRAUD = new Entity(
      Map.of("name", "Fraud-Detector", "run_id", "job-7", "version_number", "3"),
      Map.of("team", "risk", "a key", "it's"));

  private static boolean matches(String filter) {
    return SearchFilter.parse(filter, STRINGS, NUMBERS).matches(FRAUD);
  }

  @Test
  void comparesNamesExactlyAndByPattern() {
    assertTrue(matches("name = 'Fraud-Detector'"));
    assertTrue(matches("name='Fraud-Detector'"));
    assertTrue(matches("name = \"Fraud-Detector\""));
    assertFalse(matches("name = 'fraud-detector'"));
    assertTrue(matches("name != 'other'"));
    assertTrue(matches("name LIKE 'Fraud%'"));
    assertTrue(matches("name like 'Fraud-D_tector'"));
    assertFalse(matches("name LIKE 'fraud%'"));
    assertTrue(matches("name ILIKE 'fraud%'"));
    assertFalse(matches("name LIKE 'Fraud.Detector'"), "a regex character is itself in a LIKE pattern");
  }

  @Test
  void comparesRunIdsTagsAndVersionNumbers() {
    assertTrue(matches("run_id = 'job-7'"));
    assertTrue(matches("run_id IN ('job-1', 'job-7')"));
    assertFalse(matches("run_id NOT IN ('job-7')"));
    assertTrue(matches("tags.team = 'risk'"));
    assertTrue(matches("tags.`a key` = 'it''s'"));
    assertFalse(matches("tags.missing = 'x'"), "an absent tag never matches");
    assertFalse(matches("source_path = 'x'"), "an absent attribute never matches");
    assertTrue(matches("version_number >= 3 AND version_number < 4"));
    assertTrue(matches("name = 'Fraud-Detector' and tags.team LIKE 'r%' AND version_number = '3'"));
    assertTrue(SearchFilter.parse("  ", STRINGS, NUMBERS).matches(FRAUD));
  }

  @Test
  void refusesWhatMlflowDoesNotDocumentWithTheReason() {
    assertEquals("Invalid filter: OR is not supported; join comparisons with AND", refused("name = 'a' OR name = 'b'"));
    assertTrue(refused("owner = 'me'").startsWith("Invalid filter: unknown attribute 'owner'"), refused("owner = 'me'"));
    assertTrue(refused("name = 'open").contains("unclosed string"));
    assertTrue(refused("name =").contains("expected a quoted string at the end"));
    assertTrue(refused("name > 'a'").contains("operator '>' does not apply to 'name'"));
    assertTrue(refused("version_number = 'x'").contains("compared with an integer"));
    assertTrue(refused("name = 'a' name = 'b'").contains("expected AND"));
    assertTrue(refused("tags. = 'a'").contains("names no tag key"));
    assertTrue(refused("name = 'a'" + " AND name = 'a'".repeat(60)).contains("at most 50 comparisons"));
  }

  private static String refused(String filter) {
    MlflowError e = assertThrows(MlflowError.class, () -> SearchFilter.parse(filter, STRINGS, NUMBERS));
    assertEquals(MlflowError.Code.INVALID_PARAMETER_VALUE, e.code());
    return e.getMessage();
  }
}
