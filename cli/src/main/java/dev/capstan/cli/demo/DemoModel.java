package dev.capstan.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Kinds;
import dev.capstan.api.codec.Manifests;

/**
 * The demo's model in the registry: a trained directory registered as the next version with its
 * job's lineage (what {@code capstan models register digits --from DIR --job NS/JOB} does), and the
 * alias the service follows, moved as {@code capstan models alias set} moves it.
 */
final class DemoModel {
  /** The alias the demo's service follows (examples/demo/serving.yaml: models:/digits@production). */
  static final String ALIAS = "production";

  private DemoModel() {}

  /** Registers the training's model as the next version, printing what the registry recorded; returns the READY version. */
  static JsonNode register(DemoRun run, DemoTraining training) {
    ObjectNode body = Manifests.json().createObjectNode()
        .put("source", training.model().toAbsolutePath().toString())
        .put("job", run.namespace() + "/" + training.job())
        .put("description", "digits classifier trained by capstan demo (trainingjob " + training.job() + ")");
    JsonNode v = run.client().registry("POST", run.namespace(), "models/" + DemoRun.MODEL + "/versions", body);
    String version = v.path("spec").path("version").asText();
    String state = v.path("status").path("state").asText();
    if (!state.equals("READY")) {
      throw new IllegalStateException("model " + DemoRun.MODEL + " version " + version + " is " + state + ": "
          + v.path("status").path("message").asText());
    }
    JsonNode lineage = v.path("spec").path("lineage");
    JsonNode job = lineage.path("job");
    run.out().line("  model " + DemoRun.MODEL + " version " + version + " READY: " + v.path("status").path("files").size()
        + " files (sha256 each), format " + v.path("status").path("format").asText("unknown"));
    run.out().line("  lineage: trainingjob " + job.path("namespace").asText() + "/" + job.path("name").asText()
        + " (uid " + job.path("uid").asText("-") + ", generation " + job.path("generation").asText("-") + "), framework "
        + lineage.path("framework").asText("-") + ", ran " + lineage.path("startTime").asText("-") + " to "
        + lineage.path("completionTime").asText("-"));
    run.out().line("  the job's final metrics are copied into the version: eval_accuracy "
        + v.path("spec").path("metrics").path("eval_accuracy").asText("-"));
    return v;
  }

  /** Points the alias at the version, compare-and-set against the model as just read. */
  static void pointAlias(DemoRun run, String version) {
    String resourceVersion = run.client().get(Kinds.MODEL, run.namespace(), DemoRun.MODEL)
        .orElseThrow(() -> new IllegalStateException("model " + run.namespace() + "/" + DemoRun.MODEL + " disappeared"))
        .path("metadata").path("resourceVersion").asText();
    ObjectNode body = Manifests.json().createObjectNode().put("alias", ALIAS).put("version", version)
        .put("resourceVersion", resourceVersion);
    run.client().registry("POST", run.namespace(), "models/" + DemoRun.MODEL + "/aliases", body);
    run.out().line("  model " + DemoRun.MODEL + "@" + ALIAS + " -> version " + version);
  }
}
