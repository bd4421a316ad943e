package dev.capstan.local.mlflow;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The MLflow calls by path (under {@code /api/2.0/mlflow/}) and HTTP method. An unknown path is
 * {@code ENDPOINT_NOT_FOUND} (404); a known path with another method is a 405 naming the methods
 * it takes.
 */
final class Routes {
  private final Map<String, Map<String, Endpoint>> byPath = new TreeMap<>();

  void add(String method, String path, Endpoint endpoint) {
    byPath.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(method, endpoint);
  }

  Endpoint find(String method, String path) {
    Map<String, Endpoint> methods = byPath.get(path);
    if (methods == null) {
      throw new MlflowError(MlflowError.Code.ENDPOINT_NOT_FOUND, "No MLflow endpoint at " + MlflowParams.abbreviate(path)
          + "; this server answers the Model Registry calls under " + MlflowApi.PREFIX + ": " + String.join(", ", byPath.keySet()));
    }
    Endpoint endpoint = methods.get(method);
    if (endpoint == null) {
      throw new MlflowError(MlflowError.Code.BAD_REQUEST, 405, "Method " + method + " is not allowed on " + path
          + "; use " + String.join(" or ", methods.keySet()));
    }
    return endpoint;
  }
}
