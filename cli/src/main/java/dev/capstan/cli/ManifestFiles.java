package dev.capstan.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Kinds;
import dev.capstan.api.codec.ManifestException;
import dev.capstan.api.codec.Manifests;
import dev.capstan.api.kserve.ConvertedService;
import dev.capstan.api.kserve.KServeInferenceServices;
import dev.capstan.api.kubeflow.ConvertedJob;
import dev.capstan.api.kubeflow.KubeflowJobs;
import dev.capstan.api.kubeflow.KubeflowKind;
import dev.capstan.api.serving.InferenceService;
import dev.capstan.api.serving.InferenceServiceModel;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.api.validation.InvalidSpecException;
import dev.capstan.local.process.LocalLaunch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Reads manifests from a file, a directory (its *.yaml, *.yml and *.json files) or stdin ("-"),
 * checks them, and records the directory their relative paths resolve against.
 */
public final class ManifestFiles {
  /**
   * One checked manifest, ready to send. A Kubeflow job is sent as the TrainingJob it runs as, a
   * KServe InferenceService as Capstan's ({@code doc}); {@code kubeflow} or {@code kserve} then
   * holds the conversion, for the line that says so.
   */
  public record Manifest(String source, Kinds.KindInfo kind, String namespace, String name, ObjectNode doc,
      Optional<ConvertedJob> kubeflow, Optional<ConvertedService> kserve) {
    /** On stderr: for a converted manifest, what it runs as, and each accepted field Capstan does not act on. */
    public void announce() {
      kubeflow.ifPresent(c -> {
        System.err.println(c.summary());
        c.notes().forEach(n -> System.err.println("  note: " + n));
      });
      kserve.ifPresent(c -> {
        System.err.println(c.summary());
        c.notes().forEach(n -> System.err.println("  note: " + n));
      });
    }
  }

  private ManifestFiles() {}

  public static List<Manifest> read(String location, String namespaceOverride) {
    List<Manifest> out = new ArrayList<>();
    if (location.equals("-")) {
      String text = readStdin();
      out.addAll(parse(text, "<stdin>", Path.of("").toAbsolutePath(), namespaceOverride));
      return out;
    }
    Path path = Path.of(location).toAbsolutePath().normalize();
    if (!Files.exists(path)) {
      throw new CliErrors.UserError("no such file or directory: " + location);
    }
    for (Path file : files(path)) {
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new CliErrors.UserError("cannot read " + file + ": " + e.getMessage());
      }
      out.addAll(parse(text, location.equals(file.toString()) ? location : file.toString(), file.getParent(), namespaceOverride));
    }
    if (out.isEmpty()) {
      throw new CliErrors.UserError("no manifests found in " + location);
    }
    return out;
  }

  private static List<Path> files(Path path) {
    if (!Files.isDirectory(path)) {
      return List.of(path);
    }
    try (Stream<Path> s = Files.list(path)) {
      return s.filter(p -> p.toString().matches(".*\\.(ya?ml|json)$")).sorted().toList();
    } catch (IOException e) {
      throw new CliErrors.UserError("cannot list " + path + ": " + e.getMessage());
    }
  }

  private static List<Manifest> parse(String text, String source, Path baseDir, String namespaceOverride) {
    List<ObjectNode> docs;
    try {
      docs = Manifests.parseDocuments(text, source);
    } catch (ManifestException e) {
      throw new CliErrors.UserError(e.getMessage());
    }
    List<Manifest> out = new ArrayList<>();
    for (ObjectNode doc : docs) {
      if (doc.has("metadata") && !doc.get("metadata").isObject()) {
        throw new CliErrors.UserError(source + ": metadata: must be a mapping");
      }
      ObjectNode meta = doc.with("metadata");
      if (namespaceOverride != null) {
        meta.put("namespace", namespaceOverride);
      } else if (!meta.hasNonNull("namespace")) {
        meta.put("namespace", "default");
      }
      if (meta.has("annotations") && !meta.get("annotations").isObject()) {
        throw new CliErrors.UserError(source + ": metadata.annotations: must be a mapping");
      }
      meta.with("annotations").put(LocalLaunch.MANIFEST_DIR, baseDir.toString());
      Optional<ConvertedJob> kubeflow;
      Optional<ConvertedService> kserve;
      try {
        kserve = KServeInferenceServices.isKServe(doc.path("apiVersion").asText(null), doc.path("kind").asText(null))
            ? Optional.of(KServeInferenceServices.convert(doc)) : Optional.empty();
        kubeflow = KubeflowKind.byKind(doc.path("kind").asText()).isPresent()
            ? Optional.of(KubeflowJobs.convert(doc)) : Optional.empty();
        ObjectNode capstan = kubeflow.map(ConvertedJob::trainingJob).orElse(doc);
        Supplier<Object> check = () -> switch (Manifests.toResource(capstan)) {
          case TrainingJob job -> TrainingJobModel.from(job);
          case InferenceService service -> InferenceServiceModel.from(service);
          default -> null;
        };
        kubeflow.map(c -> c.explained(check)).orElseGet(() -> kserve.isPresent() ? KServeInferenceServices.toInferenceService(doc) : check.get());
      } catch (InvalidSpecException e) {
        throw new CliErrors.UserError(source + ": " + e.getMessage());
      }
      ObjectNode sent = kubeflow.map(ConvertedJob::trainingJob).or(() -> kserve.map(ConvertedService::inferenceService)).orElse(doc);
      Kinds.KindInfo kind = Kinds.byKind(sent.path("kind").asText()).orElseThrow();
      out.add(new Manifest(source, kind, meta.path("namespace").asText(), meta.path("name").asText(), sent, kubeflow, kserve));
    }
    return out;
  }

  private static String readStdin() {
    try {
      return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliErrors.UserError("cannot read stdin: " + e.getMessage());
    }
  }

  /** Whether any container names an image, which local mode does not use. */
  public static boolean namesImages(List<Manifest> manifests) {
    return manifests.stream().anyMatch(m -> m.doc().findValues("image").stream().anyMatch(v -> v.isTextual() && !v.asText().isBlank()));
  }
}
