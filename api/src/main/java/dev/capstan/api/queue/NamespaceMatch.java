package dev.capstan.api.queue;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The namespaces a queue serves: listed names, or those whose labels match, or (neither) every one. */
public record NamespaceMatch(Optional<Set<String>> names, Map<String, String> matchLabels) {
  public static final NamespaceMatch ANY = new NamespaceMatch(Optional.empty(), Map.of());

  public boolean serves(String namespace, Map<String, String> namespaceLabels) {
    if (names.isPresent()) {
      return names.get().contains(namespace);
    }
    return matchLabels.entrySet().stream().allMatch(e -> e.getValue().equals(namespaceLabels.get(e.getKey())));
  }
}
