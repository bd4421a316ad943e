package dev.capstan.api.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Where a version came from, copied into the version (not only referenced) so that it survives the
 * deletion of the job: the TrainingJob that produced it, its framework, the command and args of
 * its first replica group, its final metrics and when it ran.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Lineage(Job job, String framework, List<String> command, List<String> args,
    Map<String, String> metrics, String startTime, String completionTime) {

  /** The job as it was when the version was registered. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Job(String namespace, String name, String uid, Long generation) {}
}
