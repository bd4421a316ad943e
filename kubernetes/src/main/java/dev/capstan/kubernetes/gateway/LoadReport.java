package dev.capstan.kubernetes.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.core.serving.RevisionKey;
import dev.capstan.core.serving.RevisionLoad;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one gateway pod answers on {@value #PATH}: its last per-revision load report and the
 * scale-from-zero requests it made after the sequence number the caller last saw.
 * {@code sequence} grows with every report and every request, so a caller asks for what came after
 * the last answer it read.
 *
 * <p>Wire shape: {@code {"sequence": n, "loads": [{"namespace", "service", "revision", "at",
 * "averageConcurrency", "requestsPerSecond", "waiting"}], "scaleFromZero": [{"namespace",
 * "service", "revision"}]}}.
 */
public record LoadReport(long sequence, List<RevisionLoad> loads, List<RevisionKey> scaleFromZero) {
  public static final String PATH = "/capstan/v1/load";
  /** At most this many loads or scale-from-zero requests are read from one answer. */
  static final int MAX_ENTRIES = 10_000;

  public LoadReport {
    loads = List.copyOf(loads);
    scaleFromZero = List.copyOf(scaleFromZero);
  }

  public String toJson() {
    ObjectNode root = Manifests.json().createObjectNode();
    root.put("sequence", sequence);
    ArrayNode l = root.putArray("loads");
    for (RevisionLoad load : loads) {
      ObjectNode n = key(l.addObject(), load.key());
      n.put("at", load.at().toString());
      n.put("averageConcurrency", load.averageConcurrency());
      n.put("requestsPerSecond", load.requestsPerSecond());
      n.put("waiting", load.waiting());
    }
    ArrayNode s = root.putArray("scaleFromZero");
    scaleFromZero.forEach(k -> key(s.addObject(), k));
    return root.toString();
  }

  /** Parses an answer; a malformed one is an IllegalArgumentException naming the field. */
  public static LoadReport fromJson(String json) {
    JsonNode root;
    try {
      root = Manifests.json().readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("load report: not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.path("sequence").canConvertToLong()) {
      throw new IllegalArgumentException("load report: sequence: expected a number");
    }
    List<RevisionLoad> loads = new ArrayList<>();
    for (JsonNode n : entries(root, "loads")) {
      try {
        loads.add(new RevisionLoad(key(n, "loads"), Instant.parse(n.path("at").asText()),
            number(n, "averageConcurrency"), number(n, "requestsPerSecond"), (int) number(n, "waiting")));
      } catch (java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException("load report: loads[].at: not an instant: " + n.path("at").asText());
      }
    }
    List<RevisionKey> scale = new ArrayList<>();
    for (JsonNode n : entries(root, "scaleFromZero")) {
      scale.add(key(n, "scaleFromZero"));
    }
    return new LoadReport(root.path("sequence").asLong(), loads, scale);
  }

  private static ObjectNode key(ObjectNode n, RevisionKey key) {
    n.put("namespace", key.namespace());
    n.put("service", key.service());
    n.put("revision", key.revision());
    return n;
  }

  private static Iterable<JsonNode> entries(JsonNode root, String field) {
    JsonNode array = root.path(field);
    if (!array.isArray()) {
      throw new IllegalArgumentException("load report: " + field + ": expected a list");
    }
    if (array.size() > MAX_ENTRIES) {
      throw new IllegalArgumentException("load report: " + field + ": more than " + MAX_ENTRIES + " entries");
    }
    return array;
  }

  private static RevisionKey key(JsonNode n, String field) {
    for (String f : List.of("namespace", "service", "revision")) {
      if (!n.path(f).isTextual()) {
        throw new IllegalArgumentException("load report: " + field + "[]." + f + ": expected a string");
      }
    }
    return new RevisionKey(n.path("namespace").asText(), n.path("service").asText(), n.path("revision").asText());
  }

  private static double number(JsonNode n, String field) {
    if (!n.path(field).isNumber() || n.path(field).asDouble() < 0) {
      throw new IllegalArgumentException("load report: loads[]." + field + ": expected a non-negative number");
    }
    return n.path(field).asDouble();
  }
}
