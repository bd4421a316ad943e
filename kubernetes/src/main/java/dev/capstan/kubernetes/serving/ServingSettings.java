package dev.capstan.kubernetes.serving;

import dev.capstan.kubernetes.training.ReplicaObjects;
import java.util.Map;

/**
 * How the operator runs InferenceServices: the image of a revision's replicas (and of its model
 * fetch), the gateway's base URL that services' {@code status.url} start with, and where the
 * gateway's pods are, so that the leader can read their load figures: their namespace, the label
 * that selects them and the port of their load endpoint.
 */
public record ServingSettings(String serveImage, String gatewayUrl, String gatewayNamespace, String gatewaySelector,
    int gatewayLoadPort) {
  public static final String GATEWAY_NAME = "capstan-gateway";
  public static final int DEFAULT_LOAD_PORT = 9090;

  /** The defaults of an operator installed in {@code namespace}, beside the chart's gateway. */
  public static ServingSettings defaults(String namespace) {
    return new ServingSettings(ReplicaObjects.DEFAULT_IMAGE, "http://" + GATEWAY_NAME + "." + namespace + ".svc", namespace,
        "app.kubernetes.io/name=" + GATEWAY_NAME, DEFAULT_LOAD_PORT);
  }

  /**
   * {@code CAPSTAN_SERVE_IMAGE}, {@code CAPSTAN_GATEWAY_URL}, {@code CAPSTAN_GATEWAY_NAMESPACE}
   * (default: the operator's own, {@code POD_NAMESPACE}) over the defaults.
   */
  public static ServingSettings fromEnvironment(Map<String, String> env) {
    String namespace = env.getOrDefault("CAPSTAN_GATEWAY_NAMESPACE", env.getOrDefault("POD_NAMESPACE", "capstan-system")).trim();
    ServingSettings defaults = defaults(namespace);
    return new ServingSettings(env.getOrDefault("CAPSTAN_SERVE_IMAGE", defaults.serveImage()).trim(),
        env.getOrDefault("CAPSTAN_GATEWAY_URL", defaults.gatewayUrl()).trim(), namespace, defaults.gatewaySelector(),
        defaults.gatewayLoadPort());
  }

  public ServingSettings withGateway(String url, String namespace, int loadPort) {
    return new ServingSettings(serveImage, url, namespace, gatewaySelector, loadPort);
  }
}
