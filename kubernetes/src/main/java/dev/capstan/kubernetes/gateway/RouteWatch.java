package dev.capstan.kubernetes.gateway;

import dev.capstan.api.serving.InferenceService;
import dev.capstan.core.serving.RouteTable;
import dev.capstan.kubernetes.serving.RevisionLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster gateway's view of the cluster: informers on InferenceServices and on the
 * EndpointSlices of revisions' Services (those labelled {@value RevisionLabels#REVISION}), in every
 * namespace or the ones given. Each change schedules one rebuild of the route table
 * ({@link ClusterRoutes}); changes that arrive together are folded into one rebuild, and nothing
 * is published before every informer has listed what it watches. Reads only: list and watch,
 * nothing else.
 */
public final class RouteWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RouteWatch.class);
  private static final String BY_SERVICE = "by-service";
  /** Changes arriving within this long of each other are folded into one rebuild. */
  private static final long FOLD_MS = 20;

  private final List<SharedIndexInformer<InferenceService>> services = new ArrayList<>();
  private final List<SharedIndexInformer<EndpointSlice>> slices = new ArrayList<>();
  private final Consumer<RouteTable> publish;
  private final ScheduledExecutorService rebuilds = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "capstan-gateway-routes");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean pending = new AtomicBoolean();

  private RouteWatch(Consumer<RouteTable> publish) {
    this.publish = publish;
  }

  /** Starts watching; {@code namespaces} empty watches every namespace. */
  public static RouteWatch start(KubernetesClient client, Set<String> namespaces, Consumer<RouteTable> publish) {
    RouteWatch watch = new RouteWatch(publish);
    ResourceEventHandler<HasMetadata> changed = new ResourceEventHandler<>() {
      @Override
      public void onAdd(HasMetadata obj) {
        watch.changed();
      }

      @Override
      public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {
        watch.changed();
      }

      @Override
      public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {
        watch.changed();
      }
    };
    List<String> scopes = namespaces.isEmpty() ? java.util.Collections.singletonList(null) : List.copyOf(namespaces);
    for (String ns : scopes) {
      var isvcs = ns == null ? client.resources(InferenceService.class).inAnyNamespace()
          : client.resources(InferenceService.class).inNamespace(ns);
      var endpointSlices = ns == null ? client.discovery().v1().endpointSlices().inAnyNamespace()
          : client.discovery().v1().endpointSlices().inNamespace(ns);
      SharedIndexInformer<InferenceService> services = isvcs.runnableInformer(0);
      SharedIndexInformer<EndpointSlice> slices = endpointSlices.withLabel(RevisionLabels.REVISION).runnableInformer(0);
      slices.addIndexers(java.util.Map.of(BY_SERVICE, s -> List.of(serviceKey(s.getMetadata().getNamespace(),
          s.getMetadata().getLabels() == null ? "" : s.getMetadata().getLabels().getOrDefault(RevisionLabels.SLICE_SERVICE, "")))));
      services.addEventHandler(changed);
      slices.addEventHandler(changed);
      watch.services.add(services);
      watch.slices.add(slices);
      services.start();
      slices.start();
    }
    watch.changed();
    return watch;
  }

  private static String serviceKey(String namespace, String service) {
    return namespace + "/" + service;
  }

  /** True once every informer has listed what it watches: the table then reflects the cluster. */
  public boolean synced() {
    return services.stream().allMatch(SharedIndexInformer::hasSynced) && slices.stream().allMatch(SharedIndexInformer::hasSynced);
  }

  private void changed() {
    if (pending.compareAndSet(false, true)) {
      rebuilds.schedule(this::rebuild, FOLD_MS, TimeUnit.MILLISECONDS);
    }
  }

  private void rebuild() {
    pending.set(false);
    if (!synced()) {
      // Half a view would route revisions whose slices are not listed yet as at zero.
      changed();
      return;
    }
    try {
      List<InferenceService> all = services.stream().flatMap(i -> i.getStore().list().stream()).toList();
      publish.accept(ClusterRoutes.of(all, (ns, service) -> slices.stream()
          .flatMap(i -> i.getIndexer().byIndex(BY_SERVICE, serviceKey(ns, service)).stream()).toList()));
    } catch (RuntimeException e) {
      LOG.warn("gateway routes: could not rebuild the route table: {}", e.toString());
    }
  }

  @Override
  public void close() {
    services.forEach(SharedIndexInformer::close);
    slices.forEach(SharedIndexInformer::close);
    rebuilds.shutdownNow();
  }
}
