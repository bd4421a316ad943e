package dev.capstan.core.registry;

import dev.capstan.api.registry.Lineage;
import dev.capstan.api.registry.ModelVersionStatus;
import dev.capstan.api.registry.VersionFile;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/** The statuses a registration ends a PENDING_REGISTRATION version with, and the metrics it copies from lineage: one home for both registries. */
public final class VersionStatuses {
  private VersionStatuses() {}

  /** READY: every file of the manifest with its size and sha256, the format told from the file names, the time. */
  public static ModelVersionStatus ready(ArtifactManifest manifest, Instant now) {
    ModelVersionStatus status = new ModelVersionStatus();
    status.setState(ModelVersionState.PENDING_REGISTRATION.moveTo(ModelVersionState.READY).name());
    status.setStorageUri(manifest.uri());
    status.setFiles(manifest.files().stream().map(f -> new VersionFile(f.path(), f.size(), f.sha256())).toList());
    status.setFormat(ModelFormat.detect(manifest.files().stream().map(ArtifactFile::path).toList())
        .map(ModelFormat::wireName).orElse(null));
    status.setRegisteredTime(now.truncatedTo(ChronoUnit.MILLIS).toString());
    return status;
  }

  /** FAILED_REGISTRATION with the reason. */
  public static ModelVersionStatus failed(String reason) {
    ModelVersionStatus status = new ModelVersionStatus();
    status.setState(ModelVersionState.PENDING_REGISTRATION.moveTo(ModelVersionState.FAILED_REGISTRATION).name());
    status.setMessage(reason);
    return status;
  }

  /** The lineage's metrics that read as finite numbers (a job prints them as text), for {@code spec.metrics}. */
  public static Map<String, Double> numericMetrics(Lineage lineage) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (lineage == null || lineage.metrics() == null) {
      return out;
    }
    lineage.metrics().forEach((name, text) -> {
      try {
        double d = Double.parseDouble(text);
        if (Double.isFinite(d)) {
          out.put(name, d);
        }
      } catch (NumberFormatException | NullPointerException e) {
        // not a number: kept in the lineage only
      }
    });
    return out;
  }
}
