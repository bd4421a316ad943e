package dev.capstan.bench.gateway;

import dev.capstan.core.serving.ReplicaEndpoint;
import dev.capstan.core.serving.RevisionKey;
import dev.capstan.core.serving.RevisionRoute;
import dev.capstan.core.serving.RouteTable;
import dev.capstan.core.serving.ServiceKey;
import dev.capstan.core.serving.ServiceRoute;
import java.util.List;

/** Route tables for the one benchmarked service, {@code default/mlp}, as a control plane would publish them. */
final class Routes {
    static final ServiceKey SERVICE = new ServiceKey("default", ReplicaProcess.SERVICE);
    static final RevisionKey FIRST = revision(1);
    static final RevisionKey SECOND = revision(2);

    private Routes() {
    }

    static RevisionKey revision(int number) {
        return new RevisionKey(SERVICE.namespace(), SERVICE.name(), String.format("%s-predictor-%05d", SERVICE.name(), number));
    }

    /** All traffic to one revision with these ready replicas (none: the revision is at zero). */
    static RouteTable all(RevisionKey revision, List<ReplicaEndpoint> ready) {
        return RouteTable.of(List.of(new ServiceRoute(SERVICE, List.of(new RevisionRoute(revision, 100, ready, 0)))));
    }

    /** A canary split: {@code percent} to the second revision, the rest to the first. */
    static RouteTable split(List<ReplicaEndpoint> first, List<ReplicaEndpoint> second, int percent) {
        return RouteTable.of(List.of(new ServiceRoute(SERVICE, List.of(
                new RevisionRoute(FIRST, 100 - percent, first, 0), new RevisionRoute(SECOND, percent, second, 0)))));
    }
}
