package dev.capstan.kubernetes.kubeflow;

import dev.capstan.api.kubeflow.KubeflowKind;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Who serves each {@code kubeflow.org/v1} job kind, read once when the operator starts: Capstan
 * reconciles a kind only where the served CRD is its own ({@link KubeflowCrds#OWNER_LABEL}). A CRD
 * without the label belongs to Kubeflow's training operator (or another), which reconciles those
 * jobs itself; two operators acting on one job would fight over its pods and its status.
 */
public record KubeflowCrdOwnership(Map<KubeflowKind, Owner> owners) {
  /** Who serves one kind. */
  public enum Owner {
    CAPSTAN("served by Capstan's CRD: reconciled"),
    OTHER("served by a CRD without the " + KubeflowCrds.OWNER_LABEL + " label (Kubeflow's training operator?): "
        + "not reconciled by Capstan; uninstall the other operator and its CRDs, or turn CAPSTAN_KUBEFLOW_JOBS off"),
    NONE("no CRD served; install Capstan's (the chart's kubeflowJobs.enabled, or deploy/kubeflow/crds.yaml) before the operator starts");

    private final String meaning;

    Owner(String meaning) {
      this.meaning = meaning;
    }

    public String meaning() {
      return meaning;
    }
  }

  /** Looks each kind's CRD up by name on the API server. */
  public static KubeflowCrdOwnership read(KubernetesClient client) {
    return of(name -> client.apiextensions().v1().customResourceDefinitions().withName(name).get());
  }

  /** {@code crds}: the served CRD of a name, or null. */
  public static KubeflowCrdOwnership of(Function<String, CustomResourceDefinition> crds) {
    Map<KubeflowKind, Owner> owners = new EnumMap<>(KubeflowKind.class);
    for (KubeflowKind kind : KubeflowKind.values()) {
      CustomResourceDefinition crd = crds.apply(KubeflowCrds.name(kind));
      owners.put(kind, crd == null ? Owner.NONE : KubeflowCrds.isCapstans(crd) ? Owner.CAPSTAN : Owner.OTHER);
    }
    return new KubeflowCrdOwnership(Map.copyOf(owners));
  }

  /** The kinds no CRD serves: with the setting on, the operator does not start (it would miss them silently). */
  public List<KubeflowKind> unserved() {
    return owners.entrySet().stream().filter(e -> e.getValue() == Owner.NONE).map(Map.Entry::getKey).sorted().toList();
  }

  /** The kinds Capstan reconciles: those whose CRD is its own. */
  public List<KubeflowKind> reconciled() {
    return owners.entrySet().stream().filter(e -> e.getValue() == Owner.CAPSTAN).map(Map.Entry::getKey).sorted().toList();
  }
}
