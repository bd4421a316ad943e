package dev.capstan.api.training;

import static dev.capstan.api.training.TrainingJobValidationTest.assertRejectedYaml;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.capstan.api.registry.ModelUri;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code spec.output} and {@code spec.inputs}: what is accepted, and each refusal with its field path. */
class TrainingOutputValidationTest {
  private static final String JOB = """
      metadata: {name: train-iris}
      spec:
        framework: pytorch
        replicas: {master: {template: {spec: {containers: [{name: pytorch, command: [python3, train.py]}]}}}}
      """;

  @Test
  void outputAndInputsReachTheModel() {
    TrainingJobModel model = TrainingJobs.model(JOB + """
          output: {model: iris, path: model}
          inputs: [/data/iris.csv, "s3://datasets/iris/", "models:/iris@production", "models:/base/3"]
        """);
    assertEquals(Optional.of(new JobOutput("iris", Optional.of("model"))), model.output());
    assertEquals(4, model.inputs().size());
  }

  @Test
  void withoutOutputNothingIsRegistered() {
    TrainingJobModel model = TrainingJobs.model(JOB);
    assertEquals(Optional.empty(), model.output());
    assertEquals(List.of(), model.inputs());
  }

  @Test
  void outputModelFollowsTheRegistryNameRule() {
    assertRejectedYaml(JOB + "  output: {path: model}\n", "spec.output.model", "required");
    assertRejectedYaml(JOB + "  output: {model: Iris_Model}\n", "spec.output.model", "");
    assertRejectedYaml(JOB + "  output: {model: " + "a".repeat(51) + "}\n", "spec.output.model", "");
  }

  @Test
  void outputPathStaysInsideTheOutput() {
    for (String path : List.of("../elsewhere", "model/%2e%2e/x", "/etc", "a//b", "a\\\\b")) {
      assertRejectedYaml(JOB + "  output: {model: iris, path: \"" + path + "\"}\n", "spec.output.path", "inside the job's output");
    }
  }

  @Test
  void inputsAreUrisOrAbsolutePathsAndBounded() {
    assertRejectedYaml(JOB + "  inputs: [data/iris.csv]\n", "spec.inputs[0]", "absolute path or a URI");
    assertRejectedYaml(JOB + "  inputs: [\"ftp://x\"]\n", "spec.inputs[0]", "absolute path or a URI");
    assertRejectedYaml(JOB + "  inputs: [\"\"]\n", "spec.inputs[0]", "required");
    assertRejectedYaml(JOB + "  inputs: [\"/a\\0b\"]\n", "spec.inputs[0]", "NUL");
    assertRejectedYaml(JOB + "  inputs: [\"models:/../3\"]\n", "spec.inputs[0]", "");
    assertRejectedYaml(JOB + "  inputs: [\"models:/iris/%2e%2e\"]\n", "spec.inputs[0]", "version number");
    assertRejectedYaml(JOB + "  inputs: [\"/" + "a".repeat(TrainingJobLimits.MAX_INPUT_URI) + "\"]\n", "spec.inputs[0]", "at most");
    String many = String.join(", ", java.util.Collections.nCopies(TrainingJobLimits.MAX_INPUTS + 1, "/d"));
    assertRejectedYaml(JOB + "  inputs: [" + many + "]\n", "spec.inputs", "");
  }

  @Test
  void modelUrisParseBothForms() {
    assertEquals(new ModelUri("iris", Optional.of(3L), Optional.empty()), ModelUri.parse("f", "models:/iris/3"));
    assertEquals(new ModelUri("iris", Optional.empty(), Optional.of("production")), ModelUri.parse("f", "models:/iris@production"));
    assertEquals("models:/iris@production", ModelUri.parse("f", "models:/iris@production").toString());
    for (String bad : List.of("models:/iris", "models:/iris/3/x", "models:/iris@", "models://iris/3", "models:/iris/latest",
        "models:/iris@v3", "models:/%2e%2e/3", "models:/iris/0")) {
      org.junit.jupiter.api.Assertions.assertThrows(dev.capstan.api.validation.InvalidSpecException.class,
          () -> ModelUri.parse("f", bad), bad);
    }
  }
}
