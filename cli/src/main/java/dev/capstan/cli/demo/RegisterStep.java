package dev.capstan.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Step 3, first half: registers the trained model directory as the next version of model
 * {@code digits}, with the job's lineage copied into it, shows the version and where it came from,
 * and points the alias the service will follow at it.
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
    JsonNode v = DemoModel.register(run, DemoTraining.first(run));
    String version = v.path("spec").path("version").asText();
    run.modelVersion(version);
    DemoModel.pointAlias(run, version);
    JsonNode job = v.path("spec").path("lineage").path("job");
    return "model " + DemoRun.MODEL + " version " + version + " (lineage: trainingjob " + job.path("namespace").asText()
        + "/" + job.path("name").asText() + ")";
  }
}
