package dev.capstan.core.training;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.training.Framework;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds TrainingJobs for tests as YAML text read through the same codec as a user's manifest,
 * so a test reads like the manifest it stands for. Defaults: namespace {@code team-a},
 * generation 1, one container named after the framework.
 */
public final class TrainingJobs {
  private final String name;
  private final String framework;
  private final List<String> replicas = new ArrayList<>();
  private final List<String> specLines = new ArrayList<>();
  private final List<String> runPolicy = new ArrayList<>();
  private String requests;
  private long generation = 1;
  private String created;

  private TrainingJobs(String name, String framework) {
    this.name = name;
    this.framework = framework;
  }

  public static TrainingJobs job(String name, String framework) {
    return new TrainingJobs(name, framework);
  }

  public static TrainingJobs pytorch(String name) {
    return job(name, "pytorch");
  }

  /** Resource requests of every replica group added after this, e.g. {@code {cpu: 2, memory: 1Gi}}. */
  public TrainingJobs requests(String yamlMap) {
    this.requests = yamlMap;
    return this;
  }

  public TrainingJobs replicas(String role, int count) {
    return replicas(role, count, null);
  }

  public TrainingJobs replicas(String role, int count, String restartPolicy) {
    replicas.add("    " + role + ":\n"
        + "      count: " + count + "\n"
        + (restartPolicy == null ? "" : "      restartPolicy: " + restartPolicy + "\n")
        + "      template:\n"
        + "        spec:\n"
        + "          containers:\n"
        + "          - name: " + Framework.fromWire(framework).orElseThrow().containerName() + "\n"
        + "            image: capstan/test:1\n"
        + "            command: [python3, train.py]\n"
        + (requests == null ? "" : "            resources: {requests: " + requests + "}\n"));
    return this;
  }

  /** YAML placed directly under {@code spec}, e.g. {@code nprocPerNode: 4}. */
  public TrainingJobs spec(String yaml) {
    specLines.add(yaml.strip());
    return this;
  }

  /** YAML placed under {@code spec.runPolicy}, e.g. {@code backoffLimit: 2}. */
  public TrainingJobs runPolicy(String yaml) {
    runPolicy.add(yaml.strip());
    return this;
  }

  public TrainingJobs generation(long generation) {
    this.generation = generation;
    return this;
  }

  public TrainingJobs created(String timestamp) {
    this.created = timestamp;
    return this;
  }

  public String yaml() {
    StringBuilder sb = new StringBuilder()
        .append("apiVersion: capstan.dev/v1alpha1\n")
        .append("kind: TrainingJob\n")
        .append("metadata:\n")
        .append("  name: ").append(name).append('\n')
        .append("  namespace: team-a\n")
        .append("  generation: ").append(generation).append('\n');
    if (created != null) {
      sb.append("  creationTimestamp: \"").append(created).append("\"\n");
    }
    sb.append("spec:\n  framework: ").append(framework).append('\n');
    if (!replicas.isEmpty()) {
      sb.append("  replicas:\n");
      replicas.forEach(sb::append);
    }
    specLines.forEach(l -> sb.append("  ").append(l).append('\n'));
    if (!runPolicy.isEmpty()) {
      sb.append("  runPolicy:\n");
      runPolicy.forEach(l -> sb.append("    ").append(l).append('\n'));
    }
    return sb.toString();
  }

  public TrainingJob build() {
    return (TrainingJob) Manifests.toResource(Manifests.parseDocuments(yaml(), name + ".yaml").get(0));
  }

  public TrainingJobModel model() {
    return TrainingJobModel.from(build());
  }
}
