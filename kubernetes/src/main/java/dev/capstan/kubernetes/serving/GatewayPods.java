package dev.capstan.kubernetes.serving;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.URI;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The load endpoints of the gateway's ready pods, from an informer on the pods the gateway's
 * Deployment runs (its namespace and label), for {@link GatewayLoadPoller}.
 */
final class GatewayPods implements Supplier<Set<URI>>, AutoCloseable {
  private final SharedIndexInformer<Pod> pods;
  private final int loadPort;

  GatewayPods(KubernetesClient client, ServingSettings settings) {
    String[] label = settings.gatewaySelector().split("=", 2);
    this.pods = client.pods().inNamespace(settings.gatewayNamespace()).withLabel(label[0], label[1]).inform();
    this.loadPort = settings.gatewayLoadPort();
  }

  @Override
  public Set<URI> get() {
    return pods.getStore().list().stream()
        .filter(RevisionPods::isReady)
        .map(p -> URI.create("http://" + host(p.getStatus().getPodIP()) + ":" + loadPort + "/"))
        .collect(Collectors.toUnmodifiableSet());
  }

  private static String host(String ip) {
    return ip.contains(":") ? "[" + ip + "]" : ip;
  }

  @Override
  public void close() {
    pods.close();
  }
}
