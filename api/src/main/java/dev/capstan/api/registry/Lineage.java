package dev.capstan.api.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Where a version came from, copied into the version (not only referenced) so that it survives the
 * deletion of the job: the TrainingJob that produced it (with a sha256 of its spec), its framework,
 * the command and args of its first replica group, its final metrics, when it ran, the inputs it
 * declared (local files and directories with their sha256) and the version it started from.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Lineage(Job job, String framework, List<String> command, List<String> args,
    Map<String, String> metrics, String startTime, String completionTime, List<Input> inputs, Parent parent) {

  /** Lineage without declared inputs or parent (a job registered by hand with {@code --job}). */
  public Lineage(Job job, String framework, List<String> command, List<String> args,
      Map<String, String> metrics, String startTime, String completionTime) {
    this(job, framework, command, args, metrics, startTime, completionTime, null, null);
  }

  public Lineage withInputs(List<Input> value, Parent parentValue) {
    return new Lineage(job, framework, command, args, metrics, startTime, completionTime, value, parentValue);
  }

  /** The job as it was when the version was registered; {@code specSha256} hashes its spec in canonical JSON. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Job(String namespace, String name, String uid, Long generation, String specSha256) {
    public Job(String namespace, String name, String uid, Long generation) {
      this(namespace, name, uid, generation, null);
    }
  }

  /**
   * One of the job's {@code spec.inputs}: its URI, the sha256 of a local file or directory (a
   * directory's is the sha256 of its sorted {@code sha256  path} lines), or why it has none.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Input(String uri, String sha256, String note) {}

  /** The version the job started from (a {@code models:/} input), resolved to its number when the job succeeded. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Parent(String model, Long version, String uri) {}
}
