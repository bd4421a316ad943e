package dev.capstan.local.registry;

import dev.capstan.api.registry.ModelVersion;
import dev.capstan.core.ports.EventSink;
import dev.capstan.core.registry.ArtifactException;
import dev.capstan.core.registry.ArtifactManifest;
import dev.capstan.core.registry.ArtifactSource;
import dev.capstan.core.registry.ArtifactStore;
import dev.capstan.core.registry.ModelVersionState;
import dev.capstan.core.registry.RegistryException;
import dev.capstan.core.registry.VersionStatuses;
import java.io.UncheckedIOException;
import java.util.Map;
import java.time.Instant;

/**
 * The second half of a registration: stores a PENDING_REGISTRATION version's files and moves it to
 * READY (only once the store returned a manifest, i.e. every file is stored and checked) or to
 * FAILED_REGISTRATION with the reason. At start, versions a stopped server left pending are stored
 * again from their source (a directory or S3 prefix), or failed when it is gone.
 */
final class VersionRegistration {
  private final StoredRegistry stored;
  private final ArtifactStore artifacts;
  private final EventSink events;
  private final Object lock;
  private final Map<String, String> env;

  VersionRegistration(StoredRegistry stored, ArtifactStore artifacts, EventSink events, Object lock, Map<String, String> env) {
    this.env = env;
    this.stored = stored;
    this.artifacts = artifacts;
    this.events = events;
    this.lock = lock;
  }

  /** Stores the files and returns the version as it ended: READY or FAILED_REGISTRATION. */
  ModelVersion store(ModelVersion pending, ArtifactSource source) {
    ArtifactManifest manifest;
    try {
      manifest = artifacts.put(key(pending), source);
    } catch (ArtifactException | RegistryException | UncheckedIOException e) {
      return fail(pending, e.getMessage());
    }
    synchronized (lock) {
      if (!stored.saveVersionStatus(pending, VersionStatuses.ready(manifest, Instant.now()))) {
        throw new RegistryException(RegistryException.Reason.NOT_FOUND, "version " + pending.getSpec().getVersion()
            + " of model " + pending.getSpec().getModel() + " was deleted while it was being registered");
      }
      events.record(object(pending), EventSink.EventType.Normal, "Registered",
          manifest.files().size() + " files, " + manifest.totalSize() + " bytes stored at " + manifest.uri());
      return current(pending);
    }
  }

  /** Finishes (source directory still there) or fails every PENDING_REGISTRATION version. */
  void finishPending() {
    for (ModelVersion v : stored.versions(null, null)) {
      if (ModelVersionState.parse(v.getStatus() == null ? null : v.getStatus().getState()) != ModelVersionState.PENDING_REGISTRATION) {
        continue;
      }
      ArtifactSource source;
      try {
        source = RegistrationSource.of(v.getSpec().getSource(), env);
      } catch (RuntimeException e) {
        fail(v, "the server stopped during registration and the source cannot be stored again: " + e.getMessage());
        continue;
      }
      try {
        store(v, source);
      } finally {
        RegistrationSource.close(source);
      }
    }
  }

  private ModelVersion fail(ModelVersion pending, String reason) {
    synchronized (lock) {
      stored.saveVersionStatus(pending, VersionStatuses.failed(reason));
      events.record(object(pending), EventSink.EventType.Warning, "RegistrationFailed", reason);
      return current(pending);
    }
  }

  private ModelVersion current(ModelVersion v) {
    return stored.existingVersion(v.getMetadata().getNamespace(), v.getSpec().getModel(), v.getSpec().getVersion());
  }

  /** {@code <namespace>/<model>/<version>/<attempt>}: a key of its own for each try, so that storing again after a crash never meets a half-kept key. */
  private static String key(ModelVersion v) {
    return v.getMetadata().getNamespace() + "/" + v.getSpec().getModel() + "/" + v.getSpec().getVersion() + "/" + System.currentTimeMillis();
  }

  private static String object(ModelVersion v) {
    return ModelVersion.KIND + " " + v.getMetadata().getNamespace() + "/" + v.getMetadata().getName();
  }
}
