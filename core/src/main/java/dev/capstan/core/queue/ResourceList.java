package dev.capstan.core.queue;

import dev.capstan.api.queue.ResourceUnits;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Amounts of any number of resources ({@code cpu} in millicores, everything else in whole units:
 * bytes, devices), as queues count them. Immutable; sums are checked (an overflow throws rather than
 * wrapping negative and fitting anywhere). A resource not listed has amount 0.
 */
public final class ResourceList {
  public static final ResourceList EMPTY = new ResourceList(Map.of());

  private final Map<String, Long> amounts;

  private ResourceList(Map<String, Long> amounts) {
    this.amounts = amounts;
  }

  public static ResourceList of(Map<String, Long> amounts) {
    Map<String, Long> sorted = new TreeMap<>();
    amounts.forEach((r, a) -> {
      if (a != 0) {
        sorted.put(r, a);
      }
    });
    return sorted.isEmpty() ? EMPTY : new ResourceList(Collections.unmodifiableMap(sorted));
  }

  /** Shorthand for tests and adapters: {@code of("cpu", 2000, "memory", 1 << 30)}. */
  public static ResourceList of(Object... pairs) {
    Map<String, Long> m = new TreeMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], ((Number) pairs[i + 1]).longValue());
    }
    return of(m);
  }

  public static ResourceList from(ResourceAmounts a) {
    return of(ResourceUnits.CPU, a.cpuMillis(), ResourceUnits.MEMORY, a.memoryBytes(), ResourceUnits.GPU, a.gpus());
  }

  /** What one pod of a template asks for: requests, or limits where no request is given, over all containers. */
  public static ResourceList ofPod(PodTemplateSpec template) {
    if (template == null || template.getSpec() == null || template.getSpec().getContainers() == null) {
      return EMPTY;
    }
    ResourceList total = EMPTY;
    for (Container c : template.getSpec().getContainers()) {
      if (c.getResources() == null) {
        continue;
      }
      Map<String, Quantity> merged = new TreeMap<>();
      if (c.getResources().getLimits() != null) {
        merged.putAll(c.getResources().getLimits());
      }
      if (c.getResources().getRequests() != null) {
        merged.putAll(c.getResources().getRequests());
      }
      Map<String, Long> amounts = new TreeMap<>();
      merged.forEach((r, q) -> amounts.put(r, ResourceUnits.whole(ResourceUnits.exact(r, q))));
      total = total.plus(of(amounts));
    }
    return total;
  }

  public long get(String resource) {
    return amounts.getOrDefault(resource, 0L);
  }

  public Set<String> names() {
    return amounts.keySet();
  }

  public boolean isEmpty() {
    return amounts.isEmpty();
  }

  public ResourceList plus(ResourceList o) {
    return combine(o, 1);
  }

  public ResourceList minus(ResourceList o) {
    return combine(o, -1);
  }

  /** This list with only the named resources. */
  public ResourceList only(Set<String> resources) {
    if (resources.containsAll(amounts.keySet())) {
      return this;
    }
    Map<String, Long> m = new TreeMap<>(amounts);
    m.keySet().retainAll(resources);
    return of(m);
  }

  public ResourceList times(int n) {
    Map<String, Long> m = new TreeMap<>();
    amounts.forEach((r, a) -> m.put(r, Math.multiplyExact(a, (long) n)));
    return of(m);
  }

  /** Whether every amount here is at most the other's. */
  public boolean fitsIn(ResourceList o) {
    for (Map.Entry<String, Long> e : amounts.entrySet()) {
      if (e.getValue() > o.get(e.getKey())) {
        return false;
      }
    }
    return true;
  }

  private ResourceList combine(ResourceList o, int sign) {
    if (o.isEmpty()) {
      return this;
    }
    Map<String, Long> m = new TreeMap<>(amounts);
    o.amounts.forEach((r, a) -> m.merge(r, sign > 0 ? a : Math.negateExact(a), Math::addExact));
    return of(m);
  }

  /** Amounts as quantities users read ({@code cpu: 1500m, memory: 16Gi}). */
  public Map<String, String> toQuantities() {
    return amounts.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
        e -> ResourceUnits.format(e.getKey(), e.getValue()), (a, b) -> a, TreeMap::new));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResourceList r && amounts.equals(r.amounts);
  }

  @Override
  public int hashCode() {
    return amounts.hashCode();
  }

  @Override
  public String toString() {
    return toQuantities().toString();
  }
}
