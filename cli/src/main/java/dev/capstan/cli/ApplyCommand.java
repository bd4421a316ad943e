package dev.capstan.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code capstan apply -f FILE|DIR|-}: creates or updates resources. */
@Command(name = "apply", description = "Create or update resources from a file, a directory or stdin (-).")
final class ApplyCommand implements Callable<Integer> {
  @Mixin
  ClusterOptions cluster;

  @Option(names = {"-f", "--filename"}, required = true, description = "File, directory or - for stdin")
  String file;

  @Mixin
  NamespaceOption ns;

  @Override
  public Integer call() {
    List<ManifestFiles.Manifest> manifests = ManifestFiles.read(file, ns.namespace);
    ControlPlane client = cluster.connect();
    if (cluster.local()) {
      LocalNotes.imagesIgnored(manifests);
    }
    for (ManifestFiles.Manifest m : manifests) {
      m.announce();
      ServerClient.Applied applied = client.apply(m.kind(), m.namespace(), m.name(), m.doc());
      System.out.println(m.kind().singular() + "/" + m.name() + (applied.created() ? " created" : " configured"));
    }
    return 0;
  }
}
