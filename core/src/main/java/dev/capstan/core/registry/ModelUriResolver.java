package dev.capstan.core.registry;

import dev.capstan.api.registry.ModelUri;

/**
 * Port: what a {@code models:/NAME/VERSION} or {@code models:/NAME@ALIAS} reference serves. Resolves
 * to a READY version (an alias to the version it points at now) with the manifest of its files in
 * the artifact store. Refusals are {@link RegistryException}s: NOT_FOUND (no such model, version or
 * alias) or WRONG_STATE (the version is not READY); nothing else is ever served.
 */
public interface ModelUriResolver {
  ResolvedModel resolve(String namespace, ModelUri uri);

  /** A READY version a reference resolved to: its identity, format (may be null) and stored files. */
  record ResolvedModel(String namespace, String model, long version, String format, ArtifactManifest manifest) {
    /** {@code models:/NAME/VERSION}: the reference pinned to the number it resolved to. */
    public String pinnedUri() {
      return ModelUri.SCHEME + model + "/" + version;
    }
  }
}
