package dev.capstan.kubernetes.gateway;

import dev.capstan.core.serving.ReplicaEndpoint;
import dev.capstan.kubernetes.serving.RevisionObjects;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A revision's ready replicas as the cluster publishes them: the EndpointSlices of the revision's
 * Service. An endpoint counts when it is ready and not terminating (an absent {@code ready} means
 * ready, as the EndpointSlice API says); its REST and gRPC ports are the slice's ports named
 * {@value RevisionObjects#HTTP_PORT_NAME} and {@value RevisionObjects#GRPC_PORT_NAME}. A slice
 * without the REST port contributes nothing; an address in several slices counts once.
 */
public final class RevisionEndpoints {
  private RevisionEndpoints() {}

  public static List<ReplicaEndpoint> ready(List<EndpointSlice> slices) {
    List<ReplicaEndpoint> out = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (EndpointSlice slice : slices) {
      Optional<Integer> rest = port(slice, RevisionObjects.HTTP_PORT_NAME);
      if (rest.isEmpty() || slice.getEndpoints() == null) {
        continue;
      }
      int grpc = port(slice, RevisionObjects.GRPC_PORT_NAME).orElse(0);
      for (Endpoint e : slice.getEndpoints()) {
        if (!ready(e) || e.getAddresses() == null || e.getAddresses().isEmpty()) {
          continue;
        }
        String address = e.getAddresses().get(0);
        if (seen.add(address + ":" + rest.get())) {
          String replica = e.getTargetRef() != null && e.getTargetRef().getName() != null ? e.getTargetRef().getName() : address;
          out.add(new ReplicaEndpoint(replica, address, rest.get(), grpc));
        }
      }
    }
    return out;
  }

  private static boolean ready(Endpoint e) {
    var c = e.getConditions();
    return c == null || (!Boolean.FALSE.equals(c.getReady()) && !Boolean.TRUE.equals(c.getTerminating()));
  }

  private static Optional<Integer> port(EndpointSlice slice, String name) {
    if (slice.getPorts() == null) {
      return Optional.empty();
    }
    return slice.getPorts().stream().filter(p -> name.equals(p.getName()) && p.getPort() != null)
        .map(EndpointPort::getPort).filter(p -> p > 0 && p < 65536).findFirst();
  }
}
