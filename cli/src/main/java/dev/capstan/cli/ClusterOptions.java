package dev.capstan.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --kubeconfig/--context}: talk to a cluster running Capstan's operator instead of the
 * local control plane. Without either option, commands use local mode.
 */
final class ClusterOptions {
  @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Use the cluster of this kubeconfig (cluster mode)")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "NAME", description = "Use this kubeconfig context (cluster mode)")
  String context;

  boolean local() {
    return kubeconfig == null && context == null;
  }

  ControlPlane connect() {
    if (local()) {
      return ServerConnection.connect();
    }
    return ClusterControlPlane.connect(kubeconfig, context);
  }
}
