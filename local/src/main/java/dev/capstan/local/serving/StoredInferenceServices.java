package dev.capstan.local.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.api.serving.InferenceService;
import dev.capstan.api.serving.InferenceServiceStatus;
import dev.capstan.core.serving.InferenceServiceStore;
import dev.capstan.local.store.FileResourceStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** InferenceServices kept in the embedded store, as the core controller's port sees them. */
public final class StoredInferenceServices implements InferenceServiceStore {
  private final FileResourceStore store;

  public StoredInferenceServices(FileResourceStore store) {
    this.store = store;
  }

  /** Every stored service that reads as an InferenceService; one that does not is logged and left out. */
  @Override
  public List<InferenceService> list() {
    List<InferenceService> services = new ArrayList<>();
    for (ObjectNode node : store.list(InferenceService.PLURAL, null)) {
      try {
        services.add(Manifests.json().convertValue(node, InferenceService.class));
      } catch (IllegalArgumentException e) {
        JsonNode meta = node.path("metadata");
        System.err.println(Instant.now() + " " + InferenceService.KIND + " " + meta.path("namespace").asText() + "/"
            + meta.path("name").asText() + " is skipped: it does not read as an InferenceService ("
            + e.getMessage().split("\n")[0] + ")");
      }
    }
    return services;
  }

  @Override
  public void updateStatus(InferenceService service, InferenceServiceStatus status) {
    store.updateStatus(InferenceService.PLURAL, service.getMetadata().getNamespace(), service.getMetadata().getName(),
        Manifests.json().valueToTree(status));
  }

  @Override
  public void remove(InferenceService service) {
    store.remove(InferenceService.PLURAL, service.getMetadata().getNamespace(), service.getMetadata().getName());
  }
}
