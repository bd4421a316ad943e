package dev.capstan.gateway;

import dev.capstan.core.serving.ReplicaEndpoint;
import dev.capstan.core.serving.RevisionKey;
import dev.capstan.core.serving.RevisionRoute;
import dev.capstan.core.serving.RouteTable;
import dev.capstan.core.serving.ServiceKey;
import dev.capstan.core.serving.ServiceRoute;
import java.util.ArrayList;
import java.util.List;

/** Builds route tables for tests: {@code Routes.service("ns", "iris").revision("r1", 100, replicas…).table()}. */
final class Routes {
    private final List<ServiceRoute> services = new ArrayList<>();
    private ServiceKey current;
    private final List<RevisionRoute> revisions = new ArrayList<>();

    static Routes service(String namespace, String name) {
        return new Routes().and(namespace, name);
    }

    Routes and(String namespace, String name) {
        close();
        current = new ServiceKey(namespace, name);
        return this;
    }

    Routes revision(String revision, int percent, ReplicaEndpoint... ready) {
        return revision(revision, percent, 0, ready);
    }

    Routes revision(String revision, int percent, int containerConcurrency, ReplicaEndpoint... ready) {
        revisions.add(new RevisionRoute(new RevisionKey(current.namespace(), current.name(), revision), percent, List.of(ready),
                containerConcurrency));
        return this;
    }

    RouteTable table() {
        close();
        return RouteTable.of(services);
    }

    private void close() {
        if (current != null && !revisions.isEmpty()) {
            services.add(new ServiceRoute(current, revisions));
            revisions.clear();
        }
    }
}
