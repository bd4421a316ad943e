package dev.capstan.api.training;

import dev.capstan.api.codec.Manifests;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds TrainingJobs for tests from YAML text, through the same codec a user's manifest goes
 * through, so a test reads like the manifest it stands for. Defaults: namespace {@code team-a},
 * generation 1, one container named after the framework. Shared with other modules' tests through
 * this module's test jar.
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

  /** A job of this framework; add replica groups with {@link #replicas}. */
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

  public TrainingJobs generation(long generation) {
    this.generation = generation;
    return this;
  }

  public TrainingJobs created(String timestamp) {
    this.created = timestamp;
    return this;
  }

  /** {@code role: {count: n, template: one container named after the framework}}. */
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
        + "          - name: " + containerName() + "\n"
        + "            image: capstan/test:1\n"
        + "            command: [python3, train.py]\n"
        + (requests == null ? "" : "            resources: {requests: " + requests + "}\n"));
    return this;
  }

  /** A line (or lines) of YAML placed directly under {@code spec}, e.g. {@code nprocPerNode: 4}. */
  public TrainingJobs spec(String yaml) {
    specLines.add(yaml.strip().replace("\n", "\n  "));
    return this;
  }

  /** A line of YAML placed under {@code spec.runPolicy}, e.g. {@code backoffLimit: 2}. */
  public TrainingJobs runPolicy(String yaml) {
    runPolicy.add(yaml.strip());
    return this;
  }

  public String yaml() {
    StringBuilder sb = new StringBuilder()
        .append("apiVersion: capstan.dev/v1alpha1\n")
        .append("kind: TrainingJob\n")
        .append("metadata:\n  name: ").append(name).append("\n  namespace: team-a\n")
        .append("  generation: ").append(generation).append('\n');
    if (created != null) {
      sb.append("  creationTimestamp: \"").append(created).append("\"\n");
    }
    sb.append("spec:\n");
    if (framework != null) {
      sb.append("  framework: ").append(framework).append('\n');
    }
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
    return parse(yaml());
  }

  public TrainingJobModel model() {
    return TrainingJobModel.from(build());
  }

  /** Parses one manifest; {@code apiVersion} and {@code kind} are added when the text omits them. */
  public static TrainingJob parse(String yaml) {
    String text = yaml.contains("kind:") ? yaml : "apiVersion: capstan.dev/v1alpha1\nkind: TrainingJob\n" + yaml;
    return (TrainingJob) Manifests.toResource(Manifests.parseDocuments(text, "test.yaml").get(0));
  }

  public static TrainingJobModel model(String yaml) {
    return TrainingJobModel.from(parse(yaml));
  }

  private String containerName() {
    return framework == null ? "main" : Framework.fromWire(framework).map(Framework::containerName).orElse("main");
  }
}
