package dev.capstan.gateway;

import dev.capstan.core.serving.RevisionKey;
import dev.capstan.core.serving.RevisionRoute;
import dev.capstan.core.serving.RouteTable;
import dev.capstan.core.serving.ServiceKey;
import dev.capstan.core.serving.ServiceRoute;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The route table the gateway routes by, as live state: each update swaps in a new snapshot of
 * services, keeping the state (replicas, connections, waiters, counters) of every revision and
 * replica it still lists. Requests read the current snapshot without locking.
 */
final class LiveRoutes {
    private record Snapshot(RouteTable table, Map<ServiceKey, ServiceState> services) {
    }

    private final Upstreams upstreams;
    private final Function<RevisionKey, RevisionState> newRevision;
    private final Map<RevisionKey, RevisionState> revisions = new HashMap<>(); // guarded by this
    private volatile Snapshot current = new Snapshot(RouteTable.empty(), Map.of());

    LiveRoutes(Upstreams upstreams, Function<RevisionKey, RevisionState> newRevision) {
        this.upstreams = upstreams;
        this.newRevision = newRevision;
    }

    ServiceState service(ServiceKey key) {
        return current.services().get(key);
    }

    /** The service a request naming no namespace means: see {@link RouteTable#routeByName}. */
    ServiceState serviceByName(String name, String preferredNamespace) {
        Snapshot snapshot = current;
        Optional<ServiceRoute> route = snapshot.table().routeByName(name, preferredNamespace);
        return route.map(r -> snapshot.services().get(r.key())).orElse(null);
    }

    /** Every routed revision (a copy). */
    synchronized List<RevisionState> revisions() {
        return new ArrayList<>(revisions.values());
    }

    synchronized void update(RouteTable table) {
        Map<RevisionKey, RevisionState> kept = new HashMap<>();
        List<Replica> gone = new ArrayList<>();
        Map<ServiceKey, ServiceState> services = new HashMap<>();
        for (ServiceRoute route : table.all()) {
            List<RevisionState> states = new ArrayList<>();
            int[] percents = new int[route.revisions().size()];
            for (int i = 0; i < percents.length; i++) {
                RevisionRoute revision = route.revisions().get(i);
                RevisionState state = revisions.get(revision.key());
                if (state == null) {
                    state = newRevision.apply(revision.key());
                }
                gone.addAll(state.assign(revision.ready(), revision.containerConcurrency(), revision.timeout(), upstreams));
                kept.put(revision.key(), state);
                states.add(state);
                percents[i] = revision.percent();
            }
            ServiceState previous = current.services().get(route.key());
            AtomicLong walk = previous != null ? previous.walk() : new AtomicLong();
            services.put(route.key(), new ServiceState(route.key(), states, percents, walk));
        }
        List<RevisionState> removed = new ArrayList<>();
        revisions.forEach((key, state) -> {
            if (!kept.containsKey(key)) {
                removed.add(state);
            }
        });
        revisions.clear();
        revisions.putAll(kept);
        current = new Snapshot(table, Map.copyOf(services));
        gone.forEach(Replica::retire);
        for (RevisionState state : removed) {
            ServiceState service = services.get(state.key.serviceKey());
            for (Waiter waiter : state.retire()) {
                if (service != null) {
                    waiter.moveTo(service.pick()); // a rollout moved the traffic on: so do the waiting requests
                } else {
                    waiter.revisionRemoved();
                }
            }
        }
    }
}
