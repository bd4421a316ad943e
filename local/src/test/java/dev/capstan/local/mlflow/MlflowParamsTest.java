package dev.capstan.local.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Manifests;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parameters as MLflow's clients send them: typed, bounded, refused with the parameter named. */
class MlflowParamsTest {
  private static MlflowParams json(String body) throws Exception {
    return MlflowParams.of((ObjectNode) Manifests.json().readTree(body));
  }

  @Test
  void readsQueryStringsWithRepeatedNames() {
    MlflowParams p = MlflowParams.ofQuery("name=a%20b&order_by=name+DESC&order_by=version_number&max_results=5");
    assertEquals("a b", p.requiredString("name", 10));
    assertEquals(List.of("name DESC", "version_number"), p.strings("order_by", 10, 100));
    assertEquals(5, p.boundedLong("max_results", 100, 1000));
  }

  @Test
  void versionsAreNumbersSentAsStrings() throws Exception {
    assertEquals(12, json("{\"version\": \"12\"}").version("version"));
    assertEquals(12, json("{\"version\": 12}").version("version"));
    for (String bad : List.of("\"0\"", "\"-1\"", "\"1.0\"", "\"../1\"", "\"%2e%2e\"", "true", "\"\"")) {
      MlflowError e = assertThrows(MlflowError.class, () -> json("{\"version\": " + bad + "}").version("version"), bad);
      assertEquals(MlflowError.Code.INVALID_PARAMETER_VALUE, e.code());
      assertTrue(e.getMessage().contains("'version'"), e.getMessage());
    }
  }

  @Test
  void tagsAreKeyValueListsWithinBounds() throws Exception {
    assertEquals(Map.of("team", "risk", "empty", ""),
        json("{\"tags\": [{\"key\": \"team\", \"value\": \"risk\"}, {\"key\": \"empty\"}]}").tags("tags"));
    assertTrue(refused(() -> json("{\"tags\": {\"team\": \"risk\"}}").tags("tags")).contains("'tags'"));
    assertTrue(refused(() -> json("{\"tags\": [{\"value\": \"x\"}]}").tags("tags")).contains("'tags[0].key'"));
    assertTrue(refused(() -> json("{\"tags\": [{\"key\": \"k\", \"value\": 3}]}").tags("tags")).contains("'tags[0].value'"));
    String many = "[" + "{\"key\": \"k\"},".repeat(MlflowParams.MAX_TAGS) + "{\"key\": \"k\"}]";
    assertTrue(refused(() -> json("{\"tags\": " + many + "}").tags("tags")).contains("at most " + MlflowParams.MAX_TAGS));
  }

  @Test
  void stringsAndResultCountsAreBoundedAndTyped() throws Exception {
    assertTrue(refused(() -> json("{\"name\": 3}").requiredString("name", 10)).contains("must be a string"));
    assertTrue(refused(() -> json("{}").requiredString("name", 10)).contains("Missing value for required parameter 'name'"));
    assertTrue(refused(() -> json("{\"name\": \"" + "x".repeat(11) + "\"}").requiredString("name", 10)).contains("longer than 10"));
    assertTrue(refused(() -> MlflowParams.ofQuery("max_results=1001").boundedLong("max_results", 100, 1000)).contains("between 1 and 1000"));
    assertTrue(refused(() -> MlflowParams.ofQuery("max_results=0").boundedLong("max_results", 100, 1000)).contains("between 1 and 1000"));
    assertTrue(refused(() -> MlflowParams.ofQuery("max_results=ten").boundedLong("max_results", 100, 1000)).contains("must be an integer"));
    assertTrue(refused(() -> MlflowParams.ofQuery("name=%zz")).contains("malformed query string"));
  }

  @Test
  void pageTokensAreOnlyThoseThisServerWrote() {
    List<Integer> items = List.of(1, 2, 3);
    PageToken.Page<Integer> first = PageToken.page(items, 2, null);
    assertEquals(List.of(1, 2), first.items());
    PageToken.Page<Integer> last = PageToken.page(items, 2, first.nextPageToken());
    assertEquals(List.of(3), last.items());
    assertEquals(null, last.nextPageToken());
    assertTrue(refused(() -> PageToken.page(items, 2, "not-a-token")).contains("Invalid page token"));
  }

  private static String refused(org.junit.jupiter.api.function.Executable call) {
    MlflowError e = assertThrows(MlflowError.class, call);
    assertEquals(MlflowError.Code.INVALID_PARAMETER_VALUE, e.code());
    return e.getMessage();
  }
}
