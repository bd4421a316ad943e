package dev.capstan.cli;

/** Test manifests: shell-command TrainingJobs built from a few parameters. */
final class Jobs {
  private Jobs() {}

  /** A generic job of one master and {@code workers} workers, each running {@code script} under sh. */
  static String shellJob(String name, String namespace, String restartPolicy, String masterScript, int workers,
      String workerScript, String runPolicy) {
    StringBuilder sb = new StringBuilder();
    sb.append("apiVersion: capstan.dev/v1alpha1\nkind: TrainingJob\nmetadata:\n  name: ").append(name)
        .append("\n  namespace: ").append(namespace).append("\nspec:\n  framework: pytorch\n");
    if (runPolicy != null) {
      sb.append("  runPolicy:\n").append(runPolicy.indent(4));
    }
    sb.append("  replicas:\n");
    sb.append(group("master", 1, restartPolicy, masterScript));
    if (workers > 0) {
      sb.append(group("worker", workers, restartPolicy, workerScript));
    }
    return sb.toString();
  }

  private static String group(String role, int count, String restartPolicy, String script) {
    return "    " + role + ":\n      count: " + count + "\n      restartPolicy: " + restartPolicy
        + "\n      template:\n        spec:\n          terminationGracePeriodSeconds: 2\n          containers:\n"
        + "            - name: pytorch\n              command: [sh, -c, " + quote(script) + "]\n";
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
