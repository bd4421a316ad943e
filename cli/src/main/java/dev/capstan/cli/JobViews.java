package dev.capstan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Reads the fields the CLI shows out of a TrainingJob's JSON. */
final class JobViews {
  private JobViews() {}

  static String state(JsonNode job) {
    if (job.path("metadata").has("deletionTimestamp")) {
      return "Terminating";
    }
    return job.path("status").path("state").asText("Created");
  }

  static int totalReplicas(JsonNode job) {
    int total = 0;
    for (JsonNode group : job.path("spec").path("replicas")) {
      total += group.has("count") ? group.path("count").asInt() : group.has("replicas") ? group.path("replicas").asInt() : 1;
    }
    return total;
  }

  static int active(JsonNode job) {
    int n = 0;
    for (JsonNode role : job.path("status").path("replicaStatuses")) {
      n += role.path("active").asInt();
    }
    return n;
  }

  static String age(JsonNode job) {
    String created = job.path("metadata").path("creationTimestamp").asText(null);
    return created == null ? "-" : Durations.human(Duration.between(Instant.parse(created), Instant.now()));
  }

  static String metrics(JsonNode job) {
    List<String> parts = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> it = job.path("status").path("metrics").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      parts.add(e.getKey() + "=" + e.getValue().asText());
    }
    return parts.isEmpty() ? "-" : String.join(" ", parts);
  }

  /**
   * Warnings for store files the local server could not read and set aside (the list's
   * {@code quarantined} entries): what the file was, where it lies now and why.
   */
  static List<String> quarantined(JsonNode list) {
    List<String> lines = new ArrayList<>();
    for (JsonNode q : list.path("quarantined")) {
      lines.add("warning: stored object " + q.path("file").asText() + " could not be read (" + q.path("reason").asText()
          + ") and was set aside at " + q.path("movedTo").asText() + "; delete that file once you no longer need it");
    }
    return lines;
  }

  static JsonNode condition(JsonNode job, String type) {
    for (JsonNode c : job.path("status").path("conditions")) {
      if (type.equalsIgnoreCase(c.path("type").asText())) {
        return c;
      }
    }
    return null;
  }
}
