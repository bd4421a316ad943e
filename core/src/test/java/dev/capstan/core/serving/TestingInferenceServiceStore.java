package dev.capstan.core.serving;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.serving.InferenceService;
import dev.capstan.api.serving.InferenceServiceStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** InferenceServices in memory, for tests; counts status writes so tests can see needless ones. */
final class TestingInferenceServiceStore implements InferenceServiceStore {
  private final Map<String, InferenceService> services = new LinkedHashMap<>();
  private int statusWrites;

  void put(InferenceService service) {
    services.put(service.getMetadata().getName(), service);
  }

  InferenceService get(String name) {
    return services.get(name);
  }

  int statusWrites() {
    return statusWrites;
  }

  @Override
  public List<InferenceService> list() {
    return new ArrayList<>(services.values().stream().map(s -> Manifests.copy(s, InferenceService.class)).toList());
  }

  @Override
  public void updateStatus(InferenceService service, InferenceServiceStatus status) {
    statusWrites++;
    services.get(service.getMetadata().getName()).setStatus(Manifests.copy(status, InferenceServiceStatus.class));
  }

  @Override
  public void remove(InferenceService service) {
    services.remove(service.getMetadata().getName());
  }
}
