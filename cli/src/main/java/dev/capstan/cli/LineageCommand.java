package dev.capstan.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.codec.Kinds;
import dev.capstan.api.codec.Manifests;
import dev.capstan.api.registry.Lineage;
import dev.capstan.api.registry.Model;
import dev.capstan.api.registry.ModelVersion;
import dev.capstan.api.registry.RegistryNames;
import dev.capstan.api.serving.InferenceService;
import dev.capstan.api.validation.InvalidSpecException;
import dev.capstan.core.registry.LineageTrace;
import dev.capstan.core.registry.ModelServing;
import dev.capstan.core.registry.RegistryException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code capstan lineage model/NAME[@ALIAS|/VERSION] | trainingjob/NAME | isvc/NAME [-o json]}: the
 * chain datasets → TrainingJob → ModelVersion → InferenceService revisions, forwards from a model
 * or backwards from a job or a service. Read from the versions' own copies of their lineage, so a
 * deleted job still shows.
 */
@Command(name = "lineage", description = "Show where a model version came from and what serves it: "
    + "model/NAME[@ALIAS|/VERSION], trainingjob/NAME or isvc/NAME.")
final class LineageCommand implements Callable<Integer> {
  @Mixin
  ClusterOptions cluster;

  @Parameters(index = "0", paramLabel = "TARGET", description = "model/NAME, model/NAME@ALIAS, model/NAME/VERSION, trainingjob/NAME or isvc/NAME")
  String target;

  @Option(names = {"-o", "--output"}, description = "text (a tree, the default) | json")
  String output;

  @Mixin
  NamespaceOption ns;

  @Override
  public Integer call() throws JsonProcessingException {
    if (output != null && !List.of("text", "json").contains(output)) {
      throw new CliErrors.UserError("unknown output format '" + output + "' (use text or json)");
    }
    LineageTrace trace;
    try {
      trace = trace(stored(cluster.connect(), ns.orDefault()));
    } catch (RegistryException | InvalidSpecException e) {
      throw new CliErrors.UserError(e.getMessage());
    }
    if ("json".equals(output)) {
      System.out.println(Manifests.json().writerWithDefaultPrettyPrinter().writeValueAsString(trace));
    } else {
      print(trace, System.out);
    }
    return 0;
  }

  private LineageTrace trace(LineageTrace.Stored stored) {
    int slash = target.indexOf('/');
    String kind = slash < 0 ? target : target.substring(0, slash);
    String rest = slash < 0 ? "" : target.substring(slash + 1);
    switch (kind) {
      case "model", "models", "mdl" -> {
        int at = rest.indexOf('@');
        int sep = rest.indexOf('/');
        if (at >= 0) {
          return LineageTrace.ofModel(stored, RegistryNames.modelName("model", rest.substring(0, at)), null,
              RegistryNames.alias("alias", rest.substring(at + 1)));
        }
        if (sep >= 0) {
          return LineageTrace.ofModel(stored, RegistryNames.modelName("model", rest.substring(0, sep)),
              RegistryNames.version("version", rest.substring(sep + 1)), null);
        }
        return LineageTrace.ofModel(stored, RegistryNames.modelName("model", rest), null, null);
      }
      case "trainingjob", "trainingjobs", "tj" -> {
        LineageTrace trace = LineageTrace.ofJob(stored, RegistryNames.modelName("trainingjob", rest));
        return nonEmpty(trace, "no version was registered from trainingjob/" + rest + " in namespace " + stored.namespace());
      }
      case "isvc", "inferenceservice", "inferenceservices" -> {
        LineageTrace trace = LineageTrace.ofService(stored, RegistryNames.modelName("isvc", rest));
        return nonEmpty(trace, "isvc/" + rest + " serves no registered version in namespace " + stored.namespace());
      }
      default -> throw new CliErrors.UserError("'" + target + "' is not model/NAME[@ALIAS|/VERSION], trainingjob/NAME or isvc/NAME");
    }
  }

  private static LineageTrace nonEmpty(LineageTrace trace, String otherwise) {
    if (trace.versions().isEmpty()) {
      throw new CliErrors.UserError(otherwise);
    }
    return trace;
  }

  static LineageTrace.Stored stored(ControlPlane client, String ns) {
    return new LineageTrace.Stored(ns, typed(client.list(Kinds.MODEL, ns), Model.class),
        typed(client.list(Kinds.MODEL_VERSION, ns), ModelVersion.class), services(client, ns));
  }

  /** InferenceServices, or none where the control plane does not serve the kind (a cluster without its CRD). */
  private static List<InferenceService> services(ControlPlane client, String ns) {
    try {
      return typed(client.list(Kinds.INFERENCE_SERVICE, ns), InferenceService.class);
    } catch (CliErrors.UserError | io.fabric8.kubernetes.client.KubernetesClientException e) {
      return List.of();
    }
  }

  private static <T> List<T> typed(JsonNode list, Class<T> type) {
    List<T> out = new ArrayList<>();
    list.path("items").forEach(item -> out.add(Manifests.json().convertValue(item, type)));
    return out;
  }

  static void print(LineageTrace trace, PrintStream out) {
    for (LineageTrace.VersionTrace v : trace.versions()) {
      out.println("modelversion " + v.model() + "/" + v.version() + "  " + v.state()
          + (v.aliases().isEmpty() ? "" : "  @" + String.join(" @", v.aliases())));
      List<String> branches = new ArrayList<>();
      Lineage l = v.lineage();
      if (l != null && l.job() != null) {
        StringBuilder job = new StringBuilder("from trainingjob " + l.job().namespace() + "/" + l.job().name()
            + "  uid " + l.job().uid() + "  generation " + l.job().generation());
        if (l.job().specSha256() != null) {
          job.append("  spec sha256:").append(l.job().specSha256(), 0, 12);
        }
        job.append("\n    ").append(l.framework()).append(": ").append(String.join(" ", concat(l.command(), l.args())));
        if (l.startTime() != null) {
          job.append("\n    ran ").append(l.startTime()).append(" → ").append(l.completionTime() == null ? "?" : l.completionTime());
        }
        if (l.metrics() != null && !l.metrics().isEmpty()) {
          job.append("\n    metrics ").append(String.join(" ", l.metrics().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
        }
        for (Lineage.Input in : l.inputs() == null ? List.<Lineage.Input>of() : l.inputs()) {
          job.append("\n    input ").append(in.uri()).append(in.sha256() != null ? "  sha256:" + in.sha256().substring(0, 12)
              : in.note() != null ? "  (" + in.note() + ")" : "");
        }
        if (l.parent() != null) {
          job.append("\n    parent models:/").append(l.parent().model()).append("/").append(l.parent().version());
        }
        branches.add(job.toString());
      } else {
        branches.add("registered by hand (no job lineage)");
      }
      for (ModelServing.Revision r : v.servedBy()) {
        branches.add("served by isvc " + r.service() + "  revision " + r.revision() + "  " + r.state()
            + (r.trafficPercent() == null ? "" : "  " + r.trafficPercent() + "% traffic"));
      }
      for (int i = 0; i < branches.size(); i++) {
        boolean last = i == branches.size() - 1;
        out.println((last ? "└── " : "├── ") + branches.get(i).replace("\n", last ? "\n    " : "\n│   "));
      }
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a == null ? List.of() : a);
    out.addAll(b == null ? List.of() : b);
    return out;
  }
}
