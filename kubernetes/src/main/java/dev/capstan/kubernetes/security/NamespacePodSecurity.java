package dev.capstan.kubernetes.security;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.function.Function;

/**
 * The pod security level of a namespace: its {@value PodSecurityLevel#NAMESPACE_LABEL} label, or
 * the operator's own level where the label is absent. Read when a pod is about to be created, so
 * a relabelled namespace applies to the next pod. A label with an unknown value fails the pass with
 * a message naming the namespace, the label and the value (the job shows it as {@code Stalled}).
 */
public final class NamespacePodSecurity implements Function<String, PodSecurityLevel> {
  private final KubernetesClient client;
  private final PodSecurityLevel operatorLevel;

  public NamespacePodSecurity(KubernetesClient client, PodSecurityLevel operatorLevel) {
    this.client = client;
    this.operatorLevel = operatorLevel;
  }

  @Override
  public PodSecurityLevel apply(String namespace) {
    Namespace ns = client.namespaces().withName(namespace).get();
    Map<String, String> labels = ns == null || ns.getMetadata() == null ? null : ns.getMetadata().getLabels();
    String value = labels == null ? null : labels.get(PodSecurityLevel.NAMESPACE_LABEL);
    return value == null ? operatorLevel
        : PodSecurityLevel.parse(value, "namespace " + namespace + " label " + PodSecurityLevel.NAMESPACE_LABEL);
  }
}
