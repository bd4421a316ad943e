package dev.capstan.local.registry;

import dev.capstan.api.registry.ModelUri;
import dev.capstan.api.serving.StorageUri;
import dev.capstan.api.validation.InvalidSpecException;
import dev.capstan.core.registry.ModelUriResolver;
import dev.capstan.core.registry.RegistryException;
import dev.capstan.core.serving.ModelSources;
import dev.capstan.core.serving.ServiceKey;
import java.util.Optional;

/**
 * The serving controller's {@link ModelSources} in local mode: a registry reference resolves, in
 * the service's namespace, to the READY version it names now, pinned ({@code models:/iris@production}
 * → {@code models:/iris/3}, modelVersion {@code 3}), so that moving the alias changes the resolved
 * source and rolls out a new revision; {@link LocalModelUris#export} fetches the pinned one. Other
 * sources stay as written.
 */
public record RegistryModelSources(ModelUriResolver resolver) implements ModelSources {
  @Override
  public Resolved resolve(ServiceKey service, StorageUri uri) {
    if (!ModelUri.isModelUri(uri.text())) {
      return new Resolved(uri.text(), Optional.empty());
    }
    try {
      ModelUriResolver.ResolvedModel model = resolver.resolve(service.namespace(), ModelUri.parse("storageUri", uri.text()));
      return new Resolved(model.pinnedUri(), Optional.of(Long.toString(model.version())));
    } catch (RegistryException | InvalidSpecException e) {
      throw new UnresolvedSourceException(e.getMessage());
    }
  }
}
