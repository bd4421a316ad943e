package dev.capstan.cli;

import picocli.CommandLine.Option;

/** The {@code -n/--namespace} option shared by resource commands. */
final class NamespaceOption {
  @Option(names = {"-n", "--namespace"}, description = "Namespace (default: default)")
  String namespace;

  String orDefault() {
    return namespace == null ? "default" : namespace;
  }
}
