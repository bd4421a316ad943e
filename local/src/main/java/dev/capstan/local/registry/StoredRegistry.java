package dev.capstan.local.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.api.registry.Model;
import dev.capstan.api.registry.ModelVersion;
import dev.capstan.api.registry.ModelVersionStatus;
import dev.capstan.api.registry.RegistryNames;
import dev.capstan.api.serving.InferenceService;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.core.registry.RegistryException;
import dev.capstan.local.store.FileResourceStore;
import java.util.List;
import java.util.Optional;

/** Models and versions in the durable store, read and written as their typed wire objects. */
final class StoredRegistry {
  private final FileResourceStore store;

  StoredRegistry(FileResourceStore store) {
    this.store = store;
  }

  Optional<Model> model(String ns, String name) {
    return store.get(Model.PLURAL, ns, name).map(n -> Manifests.json().convertValue(n, Model.class));
  }

  Model existingModel(String ns, String name) {
    return model(ns, name).orElseThrow(() -> new RegistryException(RegistryException.Reason.NOT_FOUND,
        "model " + ns + "/" + name + " not found"));
  }

  List<Model> models(String ns) {
    return store.list(Model.PLURAL, ns).stream().map(n -> Manifests.json().convertValue(n, Model.class)).toList();
  }

  /** Creates or updates the model's spec (and keeps its status); returns it as stored. */
  Model saveModel(Model model) {
    return Manifests.json().convertValue(store.apply(Model.PLURAL, tree(model)), Model.class);
  }

  void saveModelStatus(Model model) {
    store.updateStatus(Model.PLURAL, model.getMetadata().getNamespace(), model.getMetadata().getName(),
        Manifests.json().valueToTree(model.getStatus()));
  }

  void removeModel(String ns, String name) {
    store.remove(Model.PLURAL, ns, name);
  }

  Optional<ModelVersion> version(String ns, String model, long version) {
    return store.get(ModelVersion.PLURAL, ns, RegistryNames.versionObjectName(model, version))
        .map(n -> Manifests.json().convertValue(n, ModelVersion.class));
  }

  ModelVersion existingVersion(String ns, String model, long version) {
    return version(ns, model, version).orElseThrow(() -> new RegistryException(RegistryException.Reason.NOT_FOUND,
        "version " + version + " of model " + ns + "/" + model + " not found"));
  }

  /** Versions in a namespace (null: all), of one model (null: all), by model and number. */
  List<ModelVersion> versions(String ns, String model) {
    return store.list(ModelVersion.PLURAL, ns).stream().map(n -> Manifests.json().convertValue(n, ModelVersion.class))
        .filter(v -> model == null || model.equals(v.getSpec().getModel()))
        .sorted(java.util.Comparator.comparing((ModelVersion v) -> v.getMetadata().getNamespace())
            .thenComparing(v -> v.getSpec().getModel()).thenComparing(v -> v.getSpec().getVersion()))
        .toList();
  }

  ModelVersion saveVersion(ModelVersion version) {
    return Manifests.json().convertValue(store.apply(ModelVersion.PLURAL, tree(version)), ModelVersion.class);
  }

  /** Replaces a version's status; false when the version is gone. */
  boolean saveVersionStatus(ModelVersion version, ModelVersionStatus status) {
    return store.updateStatus(ModelVersion.PLURAL, version.getMetadata().getNamespace(), version.getMetadata().getName(),
        Manifests.json().valueToTree(status));
  }

  void removeVersion(ModelVersion version) {
    store.remove(ModelVersion.PLURAL, version.getMetadata().getNamespace(), version.getMetadata().getName());
  }

  Optional<TrainingJob> job(String ns, String name) {
    return store.get(TrainingJob.PLURAL, ns, name).map(n -> Manifests.json().convertValue(n, TrainingJob.class));
  }

  /** InferenceServices in a namespace: what may be using a version or alias. */
  List<InferenceService> services(String ns) {
    return store.list(InferenceService.PLURAL, ns).stream().map(n -> Manifests.json().convertValue(n, InferenceService.class)).toList();
  }

  private static ObjectNode tree(Object resource) {
    return Manifests.json().valueToTree(resource);
  }
}
