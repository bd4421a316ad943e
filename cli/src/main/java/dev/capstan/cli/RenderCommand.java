package dev.capstan.cli;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.validation.InvalidSpecException;
import dev.capstan.kubernetes.render.ClusterRender;
import dev.capstan.local.process.LocalLaunch;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code capstan render -f FILE}: the Kubernetes objects cluster mode would create, as YAML. */
@Command(name = "render", description = {"Print what cluster mode would create for a manifest (YAML, like helm template):",
    "a TrainingJob's pods and services, an InferenceService's first revision (Deployment and Service)."})
final class RenderCommand implements Callable<Integer> {
  @Option(names = {"-f", "--filename"}, required = true, description = "File, directory or - for stdin")
  String file;

  @Mixin
  NamespaceOption ns;

  @Override
  public Integer call() {
    List<HasMetadata> objects = new ArrayList<>();
    for (ManifestFiles.Manifest m : ManifestFiles.read(file, ns.namespace)) {
      m.doc().with("metadata").with("annotations").remove(LocalLaunch.MANIFEST_DIR);
      m.announce();
      try {
        objects.addAll(ClusterRender.objects(Manifests.toResource(m.doc())));
      } catch (InvalidSpecException | IllegalArgumentException e) {
        throw new CliErrors.UserError(m.source() + ": " + e.getMessage());
      }
    }
    System.out.print(ClusterRender.yaml(objects));
    return 0;
  }
}
