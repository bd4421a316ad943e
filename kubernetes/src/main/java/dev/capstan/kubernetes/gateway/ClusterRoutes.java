package dev.capstan.kubernetes.gateway;

import dev.capstan.api.serving.InferenceService;
import dev.capstan.api.serving.InferenceServiceLimits;
import dev.capstan.api.serving.RevisionStatus;
import dev.capstan.core.serving.RevisionKey;
import dev.capstan.core.serving.RevisionRoute;
import dev.capstan.core.serving.RouteTable;
import dev.capstan.core.serving.ServiceKey;
import dev.capstan.core.serving.ServiceRoute;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The cluster gateway's route table, a pure function of what it watches: each InferenceService's
 * traffic split as its controller recorded it ({@code status.revisions[].trafficPercent}, with
 * each revision's {@code containerConcurrency} and request {@code timeout}, as local routes carry
 * them) and each revision's ready replicas from the
 * EndpointSlices of the revision's Service. A revision with traffic and no ready endpoint is routed
 * at zero, so the gateway's activator holds its requests and asks for a scale-up. A service whose
 * recorded percents do not add up to 100 (none yet, or a status being written) is left out.
 */
public final class ClusterRoutes {
  /** The EndpointSlices of one revision's Service, by namespace and Service name (the revision's). */
  @FunctionalInterface
  public interface Slices {
    List<EndpointSlice> of(String namespace, String service);
  }

  private ClusterRoutes() {}

  public static RouteTable of(Collection<InferenceService> services, Slices slices) {
    List<ServiceRoute> routes = new ArrayList<>();
    for (InferenceService isvc : services) {
      if (isvc.getStatus() == null || isvc.getStatus().getRevisions() == null) {
        continue;
      }
      String ns = isvc.getMetadata().getNamespace() == null ? "default" : isvc.getMetadata().getNamespace();
      ServiceKey key = new ServiceKey(ns, isvc.getMetadata().getName());
      List<RevisionRoute> revisions = new ArrayList<>();
      int total = 0;
      for (RevisionStatus r : isvc.getStatus().getRevisions()) {
        int percent = r.getTrafficPercent() == null ? 0 : r.getTrafficPercent();
        if (percent <= 0 || percent > 100 || r.getName() == null) {
          continue;
        }
        total += percent;
        revisions.add(new RevisionRoute(new RevisionKey(ns, key.name(), r.getName()), percent,
            RevisionEndpoints.ready(slices.of(ns, r.getName())), containerConcurrency(r), timeout(r)));
      }
      if (total == 100) {
        routes.add(new ServiceRoute(key, revisions));
      }
    }
    return RouteTable.of(routes);
  }

  private static int containerConcurrency(RevisionStatus r) {
    Integer cc = r.getPredictor() == null ? null : r.getPredictor().getContainerConcurrency();
    return cc == null || cc < 0 ? 0 : cc;
  }

  /** The revision's request timeout; zero (the gateway's own bound) when none or no valid one is recorded. */
  private static Duration timeout(RevisionStatus r) {
    Integer seconds = r.getPredictor() == null ? null : r.getPredictor().getTimeout();
    return seconds == null || seconds <= 0 ? Duration.ZERO
        : Duration.ofSeconds(Math.min(seconds, InferenceServiceLimits.MAX_TIMEOUT_SECONDS));
  }
}
