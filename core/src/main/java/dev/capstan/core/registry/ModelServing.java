package dev.capstan.core.registry;

import dev.capstan.api.registry.ModelUri;
import dev.capstan.api.serving.InferenceService;
import dev.capstan.api.serving.RevisionStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which registered versions and aliases InferenceServices use, read from their spec
 * ({@code predictor.model.storageUri}) and their revisions' status. A revision serves version V of
 * model M when its {@code storageUri} is {@code models:/M/V} (a resolved registry reference), or
 * is the version's artifact URI, or its {@code modelVersion} names V while the service refers to M.
 * A service being deleted uses nothing; a Retired or Failed revision serves nothing.
 */
public final class ModelServing {
  /** A revision serving a version: its service, name, state and share of traffic. */
  public record Revision(String namespace, String service, String revision, String state, Integer trafficPercent,
      String storageUri) {}

  private ModelServing() {}

  /** Every revision (of services in {@code ns}) that serves version {@code version} of {@code model}. */
  public static List<Revision> revisionsServing(List<InferenceService> services, String ns, String model, long version,
      String versionStorageUri) {
    List<Revision> out = new ArrayList<>();
    for (InferenceService s : inNamespace(services, ns)) {
      if (s.getStatus() == null || s.getStatus().getRevisions() == null) {
        continue;
      }
      Optional<ModelUri> followed = reference(s);
      for (RevisionStatus r : s.getStatus().getRevisions()) {
        if (serves(r, followed, model, version, versionStorageUri)) {
          out.add(new Revision(ns, s.getMetadata().getName(), r.getName(), r.getState(), r.getTrafficPercent(), r.getStorageUri()));
        }
      }
    }
    return out;
  }

  /**
   * The live services that use version {@code version}: those that name it ({@code models:/M/V}),
   * follow an alias that points at it, or have a live revision serving it. Sorted, each once.
   */
  public static List<String> servicesUsingVersion(List<InferenceService> services, String ns, String model, long version,
      Map<String, Long> aliases, String versionStorageUri) {
    List<String> out = new ArrayList<>();
    for (InferenceService s : live(services, ns)) {
      Optional<ModelUri> ref = reference(s).filter(u -> u.model().equals(model));
      boolean named = ref.flatMap(ModelUri::version).map(v -> v == version).orElse(false)
          || ref.flatMap(ModelUri::alias).map(a -> Objects.equals(aliases.get(a), version)).orElse(false);
      boolean serving = s.getStatus() != null && s.getStatus().getRevisions() != null && s.getStatus().getRevisions().stream()
          .anyMatch(r -> isLive(r) && serves(r, reference(s), model, version, versionStorageUri));
      if (named || serving) {
        out.add(s.getMetadata().getName());
      }
    }
    return out.stream().sorted().distinct().toList();
  }

  /** The live services whose storageUri follows {@code models:/M@alias}. Sorted. */
  public static List<String> servicesFollowingAlias(List<InferenceService> services, String ns, String model, String alias) {
    return live(services, ns).stream()
        .filter(s -> reference(s).filter(u -> u.model().equals(model) && u.alias().equals(Optional.of(alias))).isPresent())
        .map(s -> s.getMetadata().getName()).sorted().toList();
  }

  /** The live services that refer to {@code model} at all (any version or alias). Sorted. */
  public static List<String> servicesOfModel(List<InferenceService> services, String ns, String model) {
    return live(services, ns).stream().filter(s -> reference(s).filter(u -> u.model().equals(model)).isPresent())
        .map(s -> s.getMetadata().getName()).sorted().toList();
  }

  /** The registry reference a service's storageUri makes, if it is one (and well formed). */
  public static Optional<ModelUri> reference(InferenceService s) {
    String uri = s.getSpec() == null || s.getSpec().getPredictor() == null || s.getSpec().getPredictor().getModel() == null
        ? null : s.getSpec().getPredictor().getModel().getStorageUri();
    return parse(uri);
  }

  private static boolean serves(RevisionStatus r, Optional<ModelUri> followed, String model, long version, String versionStorageUri) {
    Optional<ModelUri> pinned = parse(r.getStorageUri());
    if (pinned.isPresent()) {
      return pinned.get().model().equals(model) && pinned.get().version().equals(Optional.of(version));
    }
    if (versionStorageUri != null && versionStorageUri.equals(r.getStorageUri())) {
      return true;
    }
    return followed.filter(u -> u.model().equals(model)).isPresent() && versionNumber(r.getModelVersion()) == version;
  }

  /** {@code 3}, {@code iris/3} or {@code models:/iris/3}: the number at the end; -1 when there is none. */
  static long versionNumber(String modelVersion) {
    if (modelVersion == null) {
      return -1;
    }
    String tail = modelVersion.substring(modelVersion.lastIndexOf('/') + 1);
    return tail.matches("[0-9]{1,12}") ? Long.parseLong(tail) : -1;
  }

  private static boolean isLive(RevisionStatus r) {
    return !"Retired".equals(r.getState()) && !"Failed".equals(r.getState());
  }

  private static List<InferenceService> inNamespace(List<InferenceService> services, String ns) {
    return services.stream().filter(s -> ns.equals(s.getMetadata().getNamespace())).toList();
  }

  private static List<InferenceService> live(List<InferenceService> services, String ns) {
    return inNamespace(services, ns).stream().filter(s -> s.getMetadata().getDeletionTimestamp() == null).toList();
  }

  private static Optional<ModelUri> parse(String uri) {
    if (!ModelUri.isModelUri(uri)) {
      return Optional.empty();
    }
    try {
      return Optional.of(ModelUri.parse("storageUri", uri));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
