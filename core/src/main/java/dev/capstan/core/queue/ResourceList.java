package dev.capstan.core.queue;

import dev.capstan.api.queue.ResourceUnits;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Amounts of any number of resources ({@code cpu} in millicores, everything else in whole units:
 * bytes, devices), as queues count them. Immutable; sums are checked (an overflow throws rather than
 * wrapping negative and fitting anywhere). A resource not listed has amount 0. Held as two arrays
 * sorted by name (a handful of resources), so the scheduler's sums and comparisons allocate little.
 */
public final class ResourceList {
  public static final ResourceList EMPTY = new ResourceList(new String[0], new long[0]);

  private final String[] names;
  private final long[] amounts;
  private Set<String> nameSet;
  private int hash;

  private ResourceList(String[] names, long[] amounts) {
    this.names = names;
    this.amounts = amounts;
  }

  public static ResourceList of(Map<String, Long> amounts) {
    Map<String, Long> sorted = new TreeMap<>();
    amounts.forEach((r, a) -> {
      if (a != 0) {
        sorted.put(r, a);
      }
    });
    if (sorted.isEmpty()) {
      return EMPTY;
    }
    String[] n = sorted.keySet().toArray(String[]::new);
    long[] a = new long[n.length];
    for (int i = 0; i < n.length; i++) {
      a[i] = sorted.get(n[i]);
    }
    return new ResourceList(n, a);
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
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(resource)) {
        return amounts[i];
      }
    }
    return 0;
  }

  /** The resources listed, sorted by name. */
  public Set<String> names() {
    if (nameSet == null) {
      nameSet = Collections.unmodifiableSet(new TreeSet<>(Arrays.asList(names)));
    }
    return nameSet;
  }

  public boolean isEmpty() {
    return names.length == 0;
  }

  public ResourceList plus(ResourceList o) {
    return combine(o, 1);
  }

  public ResourceList minus(ResourceList o) {
    return combine(o, -1);
  }

  /** This list with only the named resources. */
  public ResourceList only(Set<String> resources) {
    int kept = 0;
    for (String n : names) {
      kept += resources.contains(n) ? 1 : 0;
    }
    if (kept == names.length) {
      return this;
    }
    String[] n = new String[kept];
    long[] a = new long[kept];
    for (int i = 0, j = 0; i < names.length; i++) {
      if (resources.contains(names[i])) {
        n[j] = names[i];
        a[j++] = amounts[i];
      }
    }
    return kept == 0 ? EMPTY : new ResourceList(n, a);
  }

  public ResourceList times(int n) {
    if (n == 0) {
      return EMPTY;
    }
    long[] a = new long[amounts.length];
    for (int i = 0; i < a.length; i++) {
      a[i] = Math.multiplyExact(amounts[i], (long) n);
    }
    return new ResourceList(names, a);
  }

  /** Whether every amount here is at most the other's. */
  public boolean fitsIn(ResourceList o) {
    for (int i = 0; i < names.length; i++) {
      if (amounts[i] > o.get(names[i])) {
        return false;
      }
    }
    return true;
  }

  /** Merges the two sorted name arrays, adding or subtracting; amounts that come to 0 are dropped. */
  private ResourceList combine(ResourceList o, int sign) {
    if (o.isEmpty()) {
      return this;
    }
    String[] n = new String[names.length + o.names.length];
    long[] a = new long[n.length];
    int i = 0;
    int j = 0;
    int k = 0;
    while (i < names.length || j < o.names.length) {
      int c = i == names.length ? 1 : j == o.names.length ? -1 : names[i].compareTo(o.names[j]);
      long amount;
      if (c < 0) {
        n[k] = names[i];
        amount = amounts[i++];
      } else {
        n[k] = o.names[j];
        long other = sign > 0 ? o.amounts[j] : Math.negateExact(o.amounts[j]);
        j++;
        amount = c == 0 ? Math.addExact(amounts[i++], other) : other;
      }
      if (amount != 0) {
        a[k++] = amount;
      }
    }
    if (k == 0) {
      return EMPTY;
    }
    return new ResourceList(k == n.length ? n : Arrays.copyOf(n, k), k == a.length ? a : Arrays.copyOf(a, k));
  }

  /** Amounts as quantities users read ({@code cpu: 1500m, memory: 16Gi}). */
  public Map<String, String> toQuantities() {
    Map<String, String> out = new TreeMap<>();
    for (int i = 0; i < names.length; i++) {
      out.put(names[i], ResourceUnits.format(names[i], amounts[i]));
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResourceList r && Arrays.equals(names, r.names) && Arrays.equals(amounts, r.amounts);
  }

  @Override
  public int hashCode() {
    if (hash == 0) {
      hash = 31 * Arrays.hashCode(names) + Arrays.hashCode(amounts);
    }
    return hash;
  }

  @Override
  public String toString() {
    return toQuantities().toString();
  }
}
