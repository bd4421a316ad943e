package dev.capstan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.codec.Kinds;
import dev.capstan.api.codec.Manifests;
import dev.capstan.api.kubeflow.KubeflowJobs;
import dev.capstan.api.kubeflow.KubeflowKind;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code capstan get KIND [NAME] [-o yaml|json|wide]}. */
@Command(name = "get", description = "List resources, or show one.")
final class GetCommand implements Callable<Integer> {
  @Mixin
  ClusterOptions cluster;

  @Parameters(index = "0", paramLabel = "KIND", description = "trainingjobs (tj), inferenceservices (isvc), models (mdl), modelversions (mv), or a Kubeflow kind: pytorchjobs, tfjobs, xgboostjobs, jaxjobs, paddlejobs, mxjobs")
  String kind;

  @Parameters(index = "1", arity = "0..1", paramLabel = "NAME")
  String name;

  @Option(names = {"-o", "--output"}, description = "yaml | json | wide")
  String output;

  @Option(names = {"-A", "--all-namespaces"}, description = "List across all namespaces")
  boolean allNamespaces;

  @Mixin
  NamespaceOption ns;

  @Override
  public Integer call() {
    Kinds.KindInfo info = KindArgs.kind(kind);
    Optional<KubeflowKind> writtenAs = Kinds.lookup(kind).isPresent() ? Optional.empty() : Kinds.lookupKubeflow(kind);
    if (output != null && !List.of("yaml", "json", "wide").contains(output)) {
      throw new CliErrors.UserError("unknown output format '" + output + "' (use yaml, json or wide)");
    }
    ControlPlane client = cluster.connect();
    List<JsonNode> items;
    if (name != null) {
      String shown = writtenAs.map(KubeflowKind::singular).orElse(info.singular());
      items = List.of(client.get(info, ns.orDefault(), name).filter(job -> writtenAs.isEmpty() || KubeflowJobs.sourceKind(job).equals(writtenAs))
          .orElseThrow(() -> new CliErrors.UserError(shown + " \"" + name + "\" not found in namespace " + ns.orDefault())));
    } else {
      JsonNode list = client.list(info, allNamespaces || QueueViews.clusterScoped(info) ? null : ns.orDefault());
      items = ModelViews.list(list.path("items")).stream()
          .filter(job -> writtenAs.isEmpty() || KubeflowJobs.sourceKind(job).equals(writtenAs)).toList();
      JobViews.quarantined(list).forEach(System.err::println);
    }
    if ("yaml".equals(output) || "json".equals(output)) {
      Object value = name != null ? items.get(0) : java.util.Map.of("apiVersion", "v1", "kind", "List", "items", items);
      System.out.print("yaml".equals(output) ? Manifests.toYaml(value) : Manifests.toJson(value) + "\n");
      return 0;
    }
    if (items.isEmpty()) {
      System.err.println("No resources found in " + (allNamespaces ? "any" : ns.orDefault()) + " namespace.");
      return 0;
    }
    if (info == Kinds.MODEL) {
      ModelViews.models(items, ModelViews.list(client.list(Kinds.MODEL_VERSION, allNamespaces ? null : ns.orDefault()).path("items"))).print(System.out);
    } else if (info == Kinds.MODEL_VERSION) {
      ModelViews.versions(items).print(System.out);
    } else if (info == Kinds.INFERENCE_SERVICE) {
      ServiceViews.list(items, "wide".equals(output)).print(System.out);
    } else if (info == Kinds.QUEUE) {
      QueueViews.list(items).print(System.out);
    } else if (info == Kinds.WORKLOAD_PRIORITY_CLASS) {
      QueueViews.priorityClasses(items).print(System.out);
    } else {
      table(items).print(System.out);
    }
    return 0;
  }

  private Table table(List<JsonNode> items) {
    boolean wide = "wide".equals(output);
    Table t = wide
        ? new Table("NAMESPACE", "NAME", "FRAMEWORK", "STATE", "REPLICAS", "RESTARTS", "AGE", "METRICS", "MESSAGE")
        : new Table("NAME", "STATE", "REPLICAS", "RESTARTS", "AGE");
    for (JsonNode job : items) {
      String replicas = JobViews.active(job) + "/" + JobViews.totalReplicas(job);
      String restarts = Integer.toString(job.path("status").path("restartCount").asInt(0));
      if (wide) {
        t.row(job.path("metadata").path("namespace").asText(), job.path("metadata").path("name").asText(),
            job.path("spec").path("framework").asText(), JobViews.state(job), replicas, restarts, JobViews.age(job),
            JobViews.metrics(job), job.path("status").path("message").asText(""));
      } else {
        t.row(job.path("metadata").path("name").asText(), JobViews.state(job), replicas, restarts, JobViews.age(job));
      }
    }
    return t;
  }
}
