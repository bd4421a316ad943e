package dev.capstan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** How Queues read on the command line: the list (usage against quota), one queue in detail, a job's place in its queue. */
final class QueueViews {
  private QueueViews() {}

  static Table list(List<JsonNode> queues) {
    Table t = new Table("NAME", "COHORT", "STRATEGY", "PENDING", "ADMITTED", "USAGE/QUOTA", "BORROWED");
    for (JsonNode q : queues) {
      JsonNode spec = q.path("spec");
      JsonNode status = q.path("status");
      t.row(q.path("metadata").path("name").asText(), spec.path("cohort").asText("-"),
          spec.path("queueingStrategy").asText("BestEffortFIFO"), status.path("pendingWorkloads").asText("0"),
          status.path("admittedWorkloads").asText("0"), usageOverQuota(q), amounts(status.path("borrowed")));
    }
    return t;
  }

  static Table priorityClasses(List<JsonNode> classes) {
    Table t = new Table("NAME", "VALUE", "DESCRIPTION");
    for (JsonNode c : classes) {
      t.row(c.path("metadata").path("name").asText(), c.path("spec").path("value").asText(), c.path("spec").path("description").asText(""));
    }
    return t;
  }

  /** Queues and priority classes are cluster-scoped: listed from every namespace they were applied in. */
  static boolean clusterScoped(dev.capstan.api.codec.Kinds.KindInfo kind) {
    return kind == dev.capstan.api.codec.Kinds.QUEUE || kind == dev.capstan.api.codec.Kinds.WORKLOAD_PRIORITY_CLASS;
  }

  /** A queue's spec, each resource's quota and use, and the jobs it holds: admitted, then waiting in order. */
  static void describe(JsonNode q, List<JsonNode> jobs, PrintStream out) {
    JsonNode spec = q.path("spec");
    JsonNode status = q.path("status");
    String name = q.path("metadata").path("name").asText();
    out.printf("Name:         %s%n", name);
    out.printf("Namespaces:   %s%n", spec.has("namespaces") ? join(spec.path("namespaces"))
        : spec.has("namespaceSelector") ? "labels " + spec.path("namespaceSelector").path("matchLabels") : "(any that names it)");
    out.printf("Cohort:       %s%n", spec.path("cohort").asText("-"));
    out.printf("Strategy:     %s%n", spec.path("queueingStrategy").asText("BestEffortFIFO"));
    out.printf("Preemption:   withinQueue %s, reclaimWithinCohort %s, borrowWithinCohort %s%n",
        spec.path("preemption").path("withinQueue").asText("Never"), spec.path("preemption").path("reclaimWithinCohort").asText("Never"),
        spec.path("preemption").path("borrowWithinCohort").path("policy").asText("Never"));
    out.printf("Fair share:   weight %s; minimum runtime %ss; stopPolicy %s%n", spec.path("fairSharing").path("weight").asText("1"),
        spec.path("minimumRuntimeSeconds").asText("0"), spec.path("stopPolicy").asText("None"));
    out.println("Resources:");
    Table resources = new Table("  RESOURCE", "NOMINAL", "BORROWING LIMIT", "LENDING LIMIT", "USAGE", "BORROWED");
    Iterator<Map.Entry<String, JsonNode>> it = spec.path("resources").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> r = it.next();
      resources.row("  " + r.getKey(), r.getValue().path("nominalQuota").asText("0"), r.getValue().path("borrowingLimit").asText("-"),
          r.getValue().path("lendingLimit").asText("-"), status.path("usage").path(r.getKey()).asText("0"),
          status.path("borrowed").path(r.getKey()).asText("0"));
    }
    resources.print(out);
    out.println("Workloads:");
    Table held = new Table("  JOB", "STATE", "POSITION", "MESSAGE");
    List<JsonNode> mine = new ArrayList<>(jobs.stream().filter(j -> name.equals(j.path("status").path("queue").asText())).toList());
    mine.sort(Comparator.comparingInt(j -> j.path("status").path("queuePosition").asInt(0)));
    for (JsonNode j : mine) {
      held.row("  " + j.path("metadata").path("namespace").asText() + "/" + j.path("metadata").path("name").asText(), JobViews.state(j),
          j.path("status").has("queuePosition") ? j.path("status").path("queuePosition").asText() : "admitted",
          j.path("status").path("message").asText(""));
    }
    held.print(out);
  }

  /** Where a job stands in its queue: {@code research, 2nd in line} or {@code research (admitted)}. */
  static String place(JsonNode job) {
    JsonNode status = job.path("status");
    if (!status.has("queue")) {
      return "-";
    }
    return status.path("queue").asText() + (status.has("queuePosition") ? ", position " + status.path("queuePosition").asInt()
        + " in line" : "");
  }

  private static String usageOverQuota(JsonNode q) {
    List<String> parts = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> it = q.path("spec").path("resources").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> r = it.next();
      parts.add(r.getKey() + " " + q.path("status").path("usage").path(r.getKey()).asText("0") + "/"
          + r.getValue().path("nominalQuota").asText("0"));
    }
    return parts.isEmpty() ? "-" : String.join(", ", parts);
  }

  private static String amounts(JsonNode amounts) {
    List<String> parts = new ArrayList<>();
    amounts.fields().forEachRemaining(e -> parts.add(e.getKey() + " " + e.getValue().asText()));
    return parts.isEmpty() ? "-" : String.join(", ", parts);
  }

  private static String join(JsonNode names) {
    List<String> out = new ArrayList<>();
    names.forEach(n -> out.add(n.asText()));
    return String.join(", ", out);
  }
}
