package dev.capstan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.codec.Kinds;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** How models and model versions are shown: listing tables and the describe page. */
final class ModelViews {
  private ModelViews() {}

  static Table models(List<JsonNode> models, List<JsonNode> versions) {
    Table t = new Table("NAME", "VERSIONS", "LATEST", "ALIASES", "AGE");
    for (JsonNode m : models) {
      String name = m.path("metadata").path("name").asText();
      String ns = m.path("metadata").path("namespace").asText();
      long count = versions.stream().filter(v -> ofModel(v, ns, name)).count();
      t.row(name, Long.toString(count), m.path("status").path("latestVersion").asText("-"), aliases(m), JobViews.age(m));
    }
    return t;
  }

  static Table versions(List<JsonNode> versions) {
    Table t = new Table("NAME", "MODEL", "VERSION", "STATE", "FORMAT", "FILES", "AGE");
    for (JsonNode v : versions) {
      t.row(v.path("metadata").path("name").asText(), v.path("spec").path("model").asText(), v.path("spec").path("version").asText(),
          v.path("status").path("state").asText("PENDING_REGISTRATION"), v.path("status").path("format").asText("-"),
          Integer.toString(v.path("status").path("files").size()), JobViews.age(v));
    }
    return t;
  }

  /** {@code capstan models describe NAME} and {@code capstan describe model NAME}. */
  static void describe(ControlPlane client, String ns, String name, PrintStream out) {
    JsonNode model = client.get(Kinds.MODEL, ns, name)
        .orElseThrow(() -> new CliErrors.UserError("model/" + name + " not found in namespace " + ns));
    out.printf("Name:         %s%n", name);
    out.printf("Namespace:    %s%n", ns);
    out.printf("Description:  %s%n", model.path("spec").path("description").asText("-"));
    out.printf("Tags:         %s%n", pairs(model.path("spec").path("tags")));
    out.printf("Aliases:      %s%n", aliases(model));
    out.printf("Latest:       %s%n", model.path("status").path("latestVersion").asText("-"));
    out.printf("Resource ver: %s%n", model.path("metadata").path("resourceVersion").asText());
    out.println("Versions:");
    Table versions = new Table("  VERSION", "STATE", "FORMAT", "FILES", "SOURCE", "JOB", "MESSAGE");
    for (JsonNode v : list(client.list(Kinds.MODEL_VERSION, ns).path("items"))) {
      if (ofModel(v, ns, name)) {
        JsonNode job = v.path("spec").path("lineage").path("job");
        versions.row("  " + v.path("spec").path("version").asText(), v.path("status").path("state").asText("PENDING_REGISTRATION"),
            v.path("status").path("format").asText("-"), Integer.toString(v.path("status").path("files").size()),
            v.path("spec").path("source").asText("-"), job.isMissingNode() ? "-" : job.path("namespace").asText() + "/" + job.path("name").asText(),
            v.path("status").path("message").asText(""));
      }
    }
    versions.print(out);
    out.println("Events:");
    Table events = new Table("  TIME", "TYPE", "REASON", "MESSAGE");
    for (JsonNode e : client.events(Kinds.MODEL, ns, name)) {
      events.row("  " + e.path("time").asText(), e.path("type").asText(), e.path("reason").asText(), e.path("message").asText());
    }
    events.print(out);
  }

  static List<JsonNode> list(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }

  private static boolean ofModel(JsonNode version, String ns, String model) {
    return version.path("metadata").path("namespace").asText().equals(ns) && version.path("spec").path("model").asText().equals(model);
  }

  private static String aliases(JsonNode model) {
    return pairs(model.path("spec").path("aliases"));
  }

  private static String pairs(JsonNode map) {
    List<String> parts = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> it = map.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      parts.add(e.getKey() + "=" + e.getValue().asText());
    }
    return parts.isEmpty() ? "-" : String.join(",", parts);
  }
}
