package dev.capstan.kubernetes.placement;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.List;
import java.util.Map;

/**
 * Whether a node satisfies a pod's {@code requiredDuringSchedulingIgnoredDuringExecution} node
 * affinity as kube-scheduler reads it: the terms are alternatives, a term's requirements all hold,
 * a term with none matches no node; {@code In}, {@code NotIn}, {@code Exists}, {@code DoesNotExist},
 * {@code Gt} and {@code Lt} on labels, {@code In} and {@code NotIn} on the field {@code metadata.name}.
 * Placement must not pin a replica where its own template forbids it: the pin is added to every term.
 */
final class RequiredNodeAffinity {
  private static final String NAME_FIELD = "metadata.name";

  private RequiredNodeAffinity() {}

  static boolean admits(Node node, PodSpec spec) {
    NodeSelector required = spec.getAffinity() == null || spec.getAffinity().getNodeAffinity() == null
        ? null : spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
    if (required == null || required.getNodeSelectorTerms() == null || required.getNodeSelectorTerms().isEmpty()) {
      return true;
    }
    Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    Map<String, String> fields = Map.of(NAME_FIELD, node.getMetadata().getName());
    return required.getNodeSelectorTerms().stream().anyMatch(t -> matches(t, labels, fields));
  }

  private static boolean matches(NodeSelectorTerm term, Map<String, String> labels, Map<String, String> fields) {
    List<NodeSelectorRequirement> expressions = term.getMatchExpressions() == null ? List.of() : term.getMatchExpressions();
    List<NodeSelectorRequirement> onFields = term.getMatchFields() == null ? List.of() : term.getMatchFields();
    return !(expressions.isEmpty() && onFields.isEmpty())
        && expressions.stream().allMatch(r -> holds(r, labels)) && onFields.stream().allMatch(r -> holds(r, fields));
  }

  private static boolean holds(NodeSelectorRequirement r, Map<String, String> values) {
    String value = values.get(r.getKey());
    List<String> wanted = r.getValues() == null ? List.of() : r.getValues();
    return switch (r.getOperator() == null ? "" : r.getOperator()) {
      case "In" -> value != null && wanted.contains(value);
      case "NotIn" -> value == null || !wanted.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      case "Gt" -> compare(value, wanted) > 0;
      case "Lt" -> compare(value, wanted) < 0;
      default -> false;
    };
  }

  /** The label's integer against the one value a Gt or Lt names; 0 (neither) when either is missing or not an integer. */
  private static int compare(String value, List<String> wanted) {
    if (value == null || wanted.size() != 1) {
      return 0;
    }
    try {
      return Long.compare(Long.parseLong(value), Long.parseLong(wanted.get(0)));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
