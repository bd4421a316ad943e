package dev.capstan.core.serving;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every routed service, as one immutable snapshot: the control plane publishes a new table when a
 * revision's traffic or ready replicas change, and the gateway swaps it in whole. Both lookups are
 * indexed when the table is made, so a request costs a map lookup whatever the number of services.
 */
public final class RouteTable {
  private static final RouteTable EMPTY = new RouteTable(List.of());
  private final Map<ServiceKey, ServiceRoute> routes;
  /** The services whose name no other namespace uses, by name. */
  private final Map<String, ServiceRoute> uniqueByName;

  private RouteTable(Collection<ServiceRoute> routes) {
    this.routes = routes.stream().collect(Collectors.toUnmodifiableMap(ServiceRoute::key, Function.identity()));
    this.uniqueByName = this.routes.values().stream()
        .collect(Collectors.groupingBy(r -> r.key().name())).values().stream()
        .filter(named -> named.size() == 1)
        .collect(Collectors.toUnmodifiableMap(named -> named.getFirst().key().name(), List::getFirst));
  }

  public static RouteTable empty() {
    return EMPTY;
  }

  public static RouteTable of(Collection<ServiceRoute> routes) {
    return new RouteTable(routes);
  }

  public Optional<ServiceRoute> route(ServiceKey service) {
    return Optional.ofNullable(routes.get(service));
  }

  /**
   * Finds a service by name alone (a request that names no namespace): the one in namespace
   * {@code preferredNamespace} if any, else the only one of that name; empty when none or several.
   */
  public Optional<ServiceRoute> routeByName(String name, String preferredNamespace) {
    ServiceRoute preferred = routes.get(new ServiceKey(preferredNamespace, name));
    if (preferred != null) {
      return Optional.of(preferred);
    }
    return Optional.ofNullable(uniqueByName.get(name));
  }

  public Collection<ServiceRoute> all() {
    return routes.values();
  }
}
