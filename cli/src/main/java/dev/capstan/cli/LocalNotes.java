package dev.capstan.cli;

import java.util.List;

/** One-line notes about how local mode differs from a cluster, printed once per command. */
final class LocalNotes {
  private LocalNotes() {}

  static void imagesIgnored(List<ManifestFiles.Manifest> manifests) {
    if (ManifestFiles.namesImages(manifests)) {
      System.err.println("note: local mode runs each replica's command as a process on this machine; container images are not used");
    }
  }
}
