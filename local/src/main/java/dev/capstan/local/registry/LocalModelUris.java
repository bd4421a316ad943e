package dev.capstan.local.registry;

import dev.capstan.api.registry.ModelUri;
import dev.capstan.api.registry.ModelVersion;
import dev.capstan.artifacts.DirectoryTarget;
import dev.capstan.core.registry.ArtifactFile;
import dev.capstan.core.registry.ArtifactManifest;
import dev.capstan.core.registry.ArtifactStore;
import dev.capstan.core.registry.ModelUriResolver;
import dev.capstan.core.registry.ModelVersionState;
import dev.capstan.core.registry.RegistryException;
import java.nio.file.Path;

/**
 * {@code models:/NAME/VERSION} and {@code models:/NAME@ALIAS} in local mode: {@link #resolve} finds
 * the READY version (an alias at the moment of the call) and its manifest; {@link #export} copies
 * its files out of the artifact store into a directory, every size and sha256 checked, the
 * directory appearing only once all matched (see {@link DirectoryTarget}).
 */
public final class LocalModelUris implements ModelUriResolver {
  private final ModelRegistry registry;
  private final ArtifactStore artifacts;

  LocalModelUris(ModelRegistry registry, ArtifactStore artifacts) {
    this.registry = registry;
    this.artifacts = artifacts;
  }

  @Override
  public ResolvedModel resolve(String namespace, ModelUri uri) {
    ModelVersion v = uri.version().isPresent() ? registry.getVersion(namespace, uri.model(), uri.version().get())
        : registry.versionByAlias(namespace, uri.model(), uri.alias().orElseThrow());
    String state = v.getStatus() == null ? null : v.getStatus().getState();
    if (ModelVersionState.parse(state) != ModelVersionState.READY) {
      throw new RegistryException(RegistryException.Reason.WRONG_STATE, uri + " is version " + v.getSpec().getVersion()
          + ", which is " + state + ", not READY" + (v.getStatus() != null && v.getStatus().getMessage() != null
          ? " (" + v.getStatus().getMessage() + ")" : ""));
    }
    ArtifactManifest manifest = new ArtifactManifest(v.getStatus().getStorageUri(),
        v.getStatus().getFiles().stream().map(f -> new ArtifactFile(f.path(), f.size(), f.sha256())).toList());
    return new ResolvedModel(namespace, uri.model(), v.getSpec().getVersion(), v.getStatus().getFormat(), manifest);
  }

  /**
   * Resolves {@code uri} and writes the version's files into {@code dir} (missing, or an empty
   * directory); a truncated or tampered stored file fails with its reason and leaves {@code dir}
   * as it was. Returns what was written.
   */
  public ResolvedModel export(String namespace, ModelUri uri, Path dir) {
    ResolvedModel model = resolve(namespace, uri);
    artifacts.get(model.manifest(), DirectoryTarget.at(dir));
    return model;
  }
}
