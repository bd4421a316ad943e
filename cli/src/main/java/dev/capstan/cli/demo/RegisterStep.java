package dev.capstan.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Manifests;

/**
 * Step 3, first half: registers the trained model directory as the next version of model
 * {@code digits}, with the job's lineage copied into it (what {@code capstan models register digits
 * --from DIR --job NS/digits} does), and shows the version and where it came from.
 */
final class RegisterStep implements DemoStep {
  @Override
  public String name() {
    return "register";
  }

  @Override
  public String title() {
    return "register the model with its lineage";
  }

  @Override
  public String run(DemoRun run) {
    ObjectNode body = Manifests.json().createObjectNode()
        .put("source", run.modelDir().toAbsolutePath().toString())
        .put("job", run.namespace() + "/" + DemoRun.JOB)
        .put("description", "digits classifier trained by capstan demo");
    JsonNode v = run.client().registry("POST", run.namespace(), "models/" + DemoRun.MODEL + "/versions", body);
    String version = v.path("spec").path("version").asText();
    String state = v.path("status").path("state").asText();
    if (!state.equals("READY")) {
      throw new IllegalStateException("model " + DemoRun.MODEL + " version " + version + " is " + state + ": "
          + v.path("status").path("message").asText());
    }
    run.modelVersion(version);
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
    return "model " + DemoRun.MODEL + " version " + version + " (lineage: trainingjob " + job.path("namespace").asText()
        + "/" + job.path("name").asText() + ")";
  }
}
