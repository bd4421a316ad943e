package dev.capstan.api.kubeflow;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where each field of a converted TrainingJob came from in the Kubeflow manifest, so that an error
 * found by Capstan's codec or validator names the field the user wrote
 * ({@code spec.replicas.Worker.count} → {@code spec.pytorchReplicaSpecs.Worker.replicas}).
 */
public final class FieldPaths {
  private final Map<String, String> kubeflowByCapstan = new LinkedHashMap<>();

  void add(String capstanPath, String kubeflowPath) {
    kubeflowByCapstan.put(capstanPath, kubeflowPath);
  }

  /** The Kubeflow path for a Capstan one: its longest recorded prefix replaced; unrecorded paths stay. */
  public String toKubeflow(String capstanPath) {
    String best = null;
    for (String prefix : kubeflowByCapstan.keySet()) {
      if (covers(prefix, capstanPath) && (best == null || prefix.length() > best.length())) {
        best = prefix;
      }
    }
    return best == null ? capstanPath : kubeflowByCapstan.get(best) + capstanPath.substring(best.length());
  }

  private static boolean covers(String prefix, String path) {
    if (!path.startsWith(prefix)) {
      return false;
    }
    return path.length() == prefix.length() || path.charAt(prefix.length()) == '.' || path.charAt(prefix.length()) == '[';
  }
}
