package dev.capstan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** How InferenceServices read in {@code get} and {@code describe}: URL, revisions, traffic, failures. */
final class ServiceViews {
  private ServiceViews() {}

  /** One row per service: its URL, readiness, each revision's ready replicas and traffic. */
  static Table list(List<JsonNode> services, boolean wide) {
    Table t = wide ? new Table("NAMESPACE", "NAME", "URL", "READY", "REVISIONS", "AGE", "MESSAGE")
        : new Table("NAME", "URL", "READY", "REVISIONS", "AGE");
    for (JsonNode s : services) {
      String name = s.path("metadata").path("name").asText();
      String url = s.path("status").path("url").asText("-");
      if (wide) {
        t.row(s.path("metadata").path("namespace").asText(), name, url, ready(s), revisions(s), JobViews.age(s),
            s.path("status").path("message").asText(""));
      } else {
        t.row(name, url, ready(s), revisions(s), JobViews.age(s));
      }
    }
    return t;
  }

  /** The Ready condition's status, or the state while it is being deleted. */
  static String ready(JsonNode service) {
    if (service.path("metadata").has("deletionTimestamp")) {
      return "Terminating";
    }
    JsonNode ready = JobViews.condition(service, "Ready");
    return ready == null ? "Unknown" : ready.path("status").asText("Unknown");
  }

  /** Revisions taking traffic, or the latest one: {@code name ready/desired percent%}. */
  static String revisions(JsonNode service) {
    List<String> parts = new ArrayList<>();
    JsonNode all = service.path("status").path("revisions");
    for (JsonNode r : all) {
      if (r.path("trafficPercent").asInt(0) > 0) {
        parts.add(revision(r));
      }
    }
    if (parts.isEmpty() && all.size() > 0) {
      parts.add(revision(all.get(all.size() - 1)));
    }
    return parts.isEmpty() ? "-" : String.join(", ", parts);
  }

  private static String revision(JsonNode r) {
    return r.path("name").asText() + " " + r.path("readyReplicas").asInt(0) + "/" + r.path("desiredReplicas").asInt(0) + " "
        + r.path("trafficPercent").asInt(0) + "%";
  }

  /** {@code describe isvc}: the URL, the predictor, every revision with its failure, conditions, events. */
  static void describe(JsonNode service, JsonNode events, PrintStream out) {
    JsonNode status = service.path("status");
    JsonNode model = service.path("spec").path("predictor").path("model");
    out.printf("Name:         %s%n", service.path("metadata").path("name").asText());
    out.printf("Namespace:    %s%n", service.path("metadata").path("namespace").asText());
    out.printf("URL:          %s%n", status.path("url").asText("-"));
    out.printf("Ready:        %s%n", ready(service));
    out.printf("Message:      %s%n", status.path("message").asText("-"));
    out.printf("Model:        %s %s%n", model.path("modelFormat").path("name").asText("-"), model.path("storageUri").asText("-"));
    JsonNode predictor = service.path("spec").path("predictor");
    out.printf("Replicas:     %s..%s%s%n", predictor.path("minReplicas").asText("1"), predictor.path("maxReplicas").asText("-"),
        predictor.has("canaryTrafficPercent") ? " (canary " + predictor.path("canaryTrafficPercent").asInt() + "%)" : "");
    out.printf("Generation:   %s (observed %s)%n", service.path("metadata").path("generation").asText("-"),
        status.path("observedGeneration").asText("-"));
    out.println("Revisions:");
    Table revisions = new Table("  NAME", "STATE", "READY", "DESIRED", "TRAFFIC", "SOURCE", "LAST FAILURE");
    for (JsonNode r : status.path("revisions")) {
      JsonNode failure = r.path("lastFailure");
      revisions.row("  " + r.path("name").asText(), r.path("state").asText("-"), r.path("readyReplicas").asText("0"),
          r.path("desiredReplicas").asText("0"), r.path("trafficPercent").asInt(0) + "%", r.path("storageUri").asText("-"),
          failure.isMissingNode() ? "-" : failure.path("reason").asText() + ": " + failure.path("message").asText());
    }
    revisions.print(out);
    DescribeCommand.conditionsAndEvents(status, events, out);
  }
}
