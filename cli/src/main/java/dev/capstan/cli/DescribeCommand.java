package dev.capstan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code capstan describe KIND NAME}: the spec summary, status, conditions and events. */
@Command(name = "describe", description = "Show a resource in detail, with its conditions and events.")
final class DescribeCommand implements Callable<Integer> {
  @Mixin
  ClusterOptions cluster;

  @Mixin
  ResourceArgs resource;

  @Override
  public Integer call() {
    KindArgs.Ref ref = resource.ref();
    ControlPlane client = cluster.connect();
    if (ref.kind() == dev.capstan.api.codec.Kinds.MODEL) {
      ModelViews.describe(client, resource.namespace(), ref.name(), System.out);
      return 0;
    }
    JsonNode job = client.get(ref.kind(), resource.namespace(), ref.name())
        .orElseThrow(() -> new CliErrors.UserError(ref.display() + " not found in namespace " + resource.namespace()));
    if (ref.kind() == dev.capstan.api.codec.Kinds.QUEUE) {
      QueueViews.describe(job, ModelViews.list(client.list(dev.capstan.api.codec.Kinds.TRAINING_JOB, null).path("items")), System.out);
      return 0;
    }
    if (ref.kind() == dev.capstan.api.codec.Kinds.INFERENCE_SERVICE) {
      ServiceViews.describe(job, client.events(ref.kind(), resource.namespace(), ref.name()), System.out);
      return 0;
    }
    PrintStream out = System.out;
    JsonNode status = job.path("status");
    out.printf("Name:         %s%n", ref.name());
    out.printf("Namespace:    %s%n", resource.namespace());
    out.printf("Framework:    %s%n", job.path("spec").path("framework").asText());
    out.printf("State:        %s%n", JobViews.state(job));
    out.printf("Queue:        %s%n", QueueViews.place(job));
    out.printf("Message:      %s%n", status.path("message").asText("-"));
    out.printf("Started:      %s%n", status.path("startTime").asText("-"));
    out.printf("Completed:    %s%n", status.path("completionTime").asText("-"));
    out.printf("Restarts:     %d%n", status.path("restartCount").asInt(0));
    out.printf("Generation:   %s (observed %s)%n", job.path("metadata").path("generation").asText("-"),
        status.path("observedGeneration").asText("-"));
    out.println("Replicas:");
    Table replicas = new Table("  ROLE", "COUNT", "RESTART POLICY", "ACTIVE", "SUCCEEDED", "FAILED", "RESTARTS");
    Iterator<Map.Entry<String, JsonNode>> groups = job.path("spec").path("replicas").fields();
    while (groups.hasNext()) {
      Map.Entry<String, JsonNode> g = groups.next();
      JsonNode counts = status.path("replicaStatuses").path(g.getKey().toLowerCase(java.util.Locale.ROOT));
      replicas.row("  " + g.getKey(), g.getValue().path("count").asText(g.getValue().path("replicas").asText("1")),
          g.getValue().path("restartPolicy").asText("(default)"), counts.path("active").asText("0"),
          counts.path("succeeded").asText("0"), counts.path("failed").asText("0"), counts.path("restarts").asText("0"));
    }
    replicas.print(out);
    out.printf("Metrics:      %s%n", JobViews.metrics(job));
    conditionsAndEvents(status, client.events(ref.kind(), resource.namespace(), ref.name()), out);
    return 0;
  }

  /** The closing part of every kind's description: its status conditions, then its events. */
  static void conditionsAndEvents(JsonNode status, JsonNode events, PrintStream out) {
    out.println("Conditions:");
    Table conditions = new Table("  TYPE", "STATUS", "REASON", "LAST TRANSITION", "MESSAGE");
    for (JsonNode c : status.path("conditions")) {
      conditions.row("  " + c.path("type").asText(), c.path("status").asText(), c.path("reason").asText(),
          c.path("lastTransitionTime").asText(), c.path("message").asText());
    }
    conditions.print(out);
    out.println("Events:");
    Table rows = new Table("  TIME", "TYPE", "REASON", "MESSAGE");
    for (JsonNode e : events) {
      rows.row("  " + e.path("time").asText(), e.path("type").asText(), e.path("reason").asText(), e.path("message").asText());
    }
    rows.print(out);
  }
}
