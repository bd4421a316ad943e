package dev.capstan.api.kubeflow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.validation.FieldError;
import dev.capstan.api.validation.InvalidSpecException;
import java.util.List;
import java.util.function.Supplier;

/**
 * A Kubeflow job converted to a TrainingJob manifest (not yet checked by Capstan's codec and
 * validator), the notes on fields accepted but not acted on, and the way back from Capstan's field
 * paths to the manifest's.
 */
public record ConvertedJob(KubeflowKind kind, ObjectNode trainingJob, List<FieldNote> notes, FieldPaths paths) {

  public String namespace() {
    return trainingJob.path("metadata").path("namespace").asText("default");
  }

  public String name() {
    return trainingJob.path("metadata").path("name").asText("");
  }

  /** The same errors, each with the path of the field the user wrote in the Kubeflow manifest. */
  public InvalidSpecException explain(InvalidSpecException e) {
    return new InvalidSpecException(e.errors().stream()
        .map(f -> new FieldError(paths.toKubeflow(f.path()), f.reason()))
        .toList());
  }

  /** Runs a check of the converted job, reporting what it refuses at the manifest's own paths. */
  public <T> T explained(Supplier<T> check) {
    try {
      return check.get();
    } catch (InvalidSpecException e) {
      throw explain(e);
    }
  }

  /** {@code PyTorchJob default/foo: running as TrainingJob default/foo (kubeflow.org/v1 accepted as is)}. */
  public String summary() {
    String ref = namespace() + "/" + name();
    return kind.kind() + " " + ref + ": running as TrainingJob " + ref + " (" + KubeflowKind.API_VERSION + " accepted as is)";
  }
}
