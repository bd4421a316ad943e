package dev.capstan.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What a cluster's controllers and kubelets do for Deployments, played against the mock API server
 * of one namespace: each Deployment gets {@code spec.replicas} pods (named {@code {deployment}-{i}},
 * with the template's labels), each pod runs and turns Ready with an IP, the Deployment's status
 * counts them, and each Service of the same name gets an EndpointSlice of the ready pods (with the
 * Service's labels and ports, as the EndpointSlice controller makes). A revision can be made to
 * fail as a bad model does: its init container exits 1 and no pod turns ready.
 */
public final class TestingDeployments implements AutoCloseable {
  private final KubernetesClient client;
  private final String namespace;
  private final Set<String> failing = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "testing-deployments");
    t.setDaemon(true);
    return t;
  });

  public TestingDeployments(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
    loop.scheduleWithFixedDelay(this::settleQuietly, 0, 100, TimeUnit.MILLISECONDS);
  }

  /** The pods of this Deployment fail their model fetch from now on (init container exit 1, with why). */
  public void failFetch(String deployment) {
    failing.add(deployment);
  }

  private void settleQuietly() {
    try {
      settle();
    } catch (KubernetesClientException e) {
      // a conflict with the operator's own writes: the next round settles it
    }
  }

  private void settle() {
    List<Deployment> deployments = client.apps().deployments().inNamespace(namespace).list().getItems();
    for (Deployment d : deployments) {
      String name = d.getMetadata().getName();
      int wanted = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
      List<Pod> pods = new ArrayList<>(client.pods().inNamespace(namespace).withLabels(d.getSpec().getSelector().getMatchLabels())
          .list().getItems());
      pods.sort(Comparator.comparing(p -> p.getMetadata().getName()));
      for (int i = 0; i < wanted; i++) {
        String podName = name + "-" + i;
        if (pods.stream().noneMatch(p -> p.getMetadata().getName().equals(podName))) {
          pods.add(client.resource(pod(d, podName)).create());
        }
      }
      for (Pod p : pods) {
        int index = Integer.parseInt(p.getMetadata().getName().substring(name.length() + 1));
        if (index >= wanted) {
          client.resource(p).delete();
        } else if (p.getStatus() == null || p.getStatus().getPhase() == null) {
          status(p, failing.contains(name), index);
        }
      }
      int ready = failing.contains(name) ? 0 : wanted;
      if (d.getStatus() == null || !Integer.valueOf(ready).equals(d.getStatus().getReadyReplicas())) {
        client.apps().deployments().inNamespace(namespace).withName(name).editStatus(x -> {
          x.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder().withReplicas(wanted)
              .withReadyReplicas(ready).withAvailableReplicas(ready).build());
          return x;
        });
      }
    }
    slices();
  }

  /** One EndpointSlice per Service of the namespace, listing its selected pods that are Ready. */
  private void slices() {
    for (var service : client.services().inNamespace(namespace).list().getItems()) {
      Map<String, String> selector = service.getSpec().getSelector();
      if (selector == null || selector.isEmpty()) {
        continue;
      }
      List<io.fabric8.kubernetes.api.model.discovery.v1.Endpoint> endpoints = client.pods().inNamespace(namespace)
          .withLabels(selector).list().getItems().stream()
          .filter(p -> p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
              .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")))
          .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
          .map(p -> new EndpointBuilder().withAddresses(p.getStatus().getPodIP())
              .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions()
              .withNewTargetRef().withKind("Pod").withName(p.getMetadata().getName()).withNamespace(namespace).endTargetRef()
              .build())
          .toList();
      Map<String, String> labels = new LinkedHashMap<>(service.getMetadata().getLabels() == null ? Map.of() : service.getMetadata().getLabels());
      labels.put("kubernetes.io/service-name", service.getMetadata().getName());
      EndpointSlice slice = new EndpointSliceBuilder()
          .withNewMetadata().withNamespace(namespace).withName(service.getMetadata().getName() + "-slice").withLabels(labels).endMetadata()
          .withAddressType("IPv4")
          .withPorts(service.getSpec().getPorts().stream().map(p -> new io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder()
              .withName(p.getName()).withPort(p.getPort()).withProtocol("TCP").build()).toList())
          .withEndpoints(endpoints)
          .build();
      EndpointSlice current = client.discovery().v1().endpointSlices().inNamespace(namespace).withName(slice.getMetadata().getName()).get();
      if (current == null) {
        client.resource(slice).create();
      } else if (!current.getEndpoints().equals(slice.getEndpoints())) {
        client.discovery().v1().endpointSlices().inNamespace(namespace).withName(slice.getMetadata().getName())
            .edit(s -> {
              s.setEndpoints(slice.getEndpoints());
              return s;
            });
      }
    }
  }

  private static Pod pod(Deployment d, String name) {
    return new PodBuilder()
        .withNewMetadata().withNamespace(d.getMetadata().getNamespace()).withName(name)
        .withLabels(d.getSpec().getTemplate().getMetadata().getLabels())
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment")
            .withName(d.getMetadata().getName()).withUid(d.getMetadata().getUid()).withController(true).build())
        .endMetadata()
        .withSpec(d.getSpec().getTemplate().getSpec())
        .build();
  }

  private void status(Pod pod, boolean failFetch, int index) {
    client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).editStatus(p -> {
      PodStatus status = new PodStatus();
      status.setPodIP("10.1." + (Math.abs(pod.getMetadata().getOwnerReferences().get(0).getName().hashCode()) % 250) + "." + (index + 1));
      if (failFetch) {
        status.setPhase("Pending");
        status.setInitContainerStatuses(pod.getSpec().getInitContainers().stream().map(c -> new ContainerStatusBuilder()
            .withName(c.getName()).withImage(c.getImage()).withReady(false).withRestartCount(3)
            .withState(new ContainerStateBuilder().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().build())
            .withLastState(new ContainerStateBuilder().withNewTerminated().withExitCode(1).withReason("Error")
                .withMessage("capstan fetch: https://models.example/broken.onnx: HTTP 404 Not Found").endTerminated().build())
            .build()).toList());
        status.setConditions(List.of(new PodConditionBuilder().withType("Ready").withStatus("False").build()));
      } else {
        status.setPhase("Running");
        status.setContainerStatuses(pod.getSpec().getContainers().stream().map(c -> running(c.getName(), c.getImage())).toList());
        status.setConditions(List.of(new PodConditionBuilder().withType("Ready").withStatus("True").build()));
      }
      p.setStatus(status);
      return p;
    });
  }

  private static ContainerStatus running(String name, String image) {
    return new ContainerStatusBuilder().withName(name).withImage(image).withReady(true).withRestartCount(0)
        .withState(new ContainerStateBuilder().withNewRunning().withStartedAt("2026-01-01T00:00:00Z").endRunning().build()).build();
  }

  @Override
  public void close() {
    loop.shutdownNow();
  }
}
