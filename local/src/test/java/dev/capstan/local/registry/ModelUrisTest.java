package dev.capstan.local.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.api.registry.ModelUri;
import dev.capstan.api.serving.InferenceService;
import dev.capstan.api.serving.StorageUri;
import dev.capstan.api.validation.Errors;
import dev.capstan.artifacts.ArtifactStores;
import dev.capstan.core.registry.ArtifactException;
import dev.capstan.core.registry.ModelUriResolver;
import dev.capstan.core.registry.RegistryException;
import dev.capstan.core.serving.ModelSources;
import dev.capstan.core.serving.ServiceKey;
import dev.capstan.local.store.FileResourceStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code models:/} references: resolved only to READY versions, exported with every checksum
 * checked, pinned for the serving controller; and a version or alias a live InferenceService uses
 * is not deleted.
 */
class ModelUrisTest {
  @TempDir Path home;
  @TempDir Path files;
  FileResourceStore store;
  ModelRegistry registry;

  @BeforeEach
  void registerTwoVersions() throws Exception {
    store = new FileResourceStore(home.resolve("store"));
    registry = new ModelRegistry(store, ArtifactStores.fromEnvironment(Map.of(), home), JobOutputRegistrationTest.TestingEvents.NONE, "tester");
    registry.register("ml", "iris", Registration.fromDirectory(modelDir("one")));
    registry.register("ml", "iris", Registration.fromDirectory(modelDir("two")));
    registry.setAlias("ml", "iris", "production", 1, null);
  }

  @Test
  void anAliasResolvesToItsReadyVersionAndExportsCheckedFiles() throws Exception {
    ModelUriResolver.ResolvedModel model = registry.modelUris().export("ml", ModelUri.parse("uri", "models:/iris@production"),
        files.resolve("out"));
    assertEquals(1, model.version());
    assertEquals("models:/iris/1", model.pinnedUri());
    assertEquals("onnx", model.format());
    assertEquals("weights one", Files.readString(files.resolve("out/model.onnx")));

    ModelSources sources = new RegistryModelSources(registry.modelUris());
    assertEquals(new ModelSources.Resolved("models:/iris/1", Optional.of("1")), sources.resolve(new ServiceKey("ml", "svc"), uri("models:/iris@production")));
    registry.setAlias("ml", "iris", "production", 2, null);
    assertEquals("models:/iris/2", sources.resolve(new ServiceKey("ml", "svc"), uri("models:/iris@production")).storageUri(),
        "a moved alias resolves to the new version");
    assertEquals(new ModelSources.Resolved("s3://b/k", Optional.empty()), sources.resolve(new ServiceKey("ml", "svc"), uri("s3://b/k")));
    assertThrows(ModelSources.UnresolvedSourceException.class, () -> sources.resolve(new ServiceKey("ml", "svc"), uri("models:/iris/9")));
    assertThrows(ModelSources.UnresolvedSourceException.class, () -> sources.resolve(new ServiceKey("other", "svc"), uri("models:/iris/1")));
  }

  @Test
  void aTamperedBlobFailsTheExportAndLeavesNothing() throws Exception {
    Path blob;
    try (Stream<Path> walk = Files.walk(home.resolve("artifacts/blobs"))) {
      blob = walk.filter(Files::isRegularFile).filter(p -> {
        try {
          return Files.readString(p).equals("weights one");
        } catch (Exception e) {
          return false;
        }
      }).findFirst().orElseThrow();
    }
    blob.toFile().setWritable(true);
    Files.writeString(blob, "weights 0ne");
    ArtifactException e = assertThrows(ArtifactException.class,
        () -> registry.modelUris().export("ml", ModelUri.parse("uri", "models:/iris/1"), files.resolve("out")));
    assertEquals(ArtifactException.Reason.CHECKSUM_MISMATCH, e.reason());
    assertFalse(Files.exists(files.resolve("out")));
  }

  @Test
  void onlyReadyVersionsResolveAndDeletedOnesNever() {
    ObjectNode pending = Manifests.json().createObjectNode().put("state", "PENDING_REGISTRATION");
    store.updateStatus("modelversions", "ml", "iris-2", pending);
    RegistryException notReady = assertThrows(RegistryException.class, () -> registry.modelUris().resolve("ml", ModelUri.parse("u", "models:/iris/2")));
    assertEquals(RegistryException.Reason.WRONG_STATE, notReady.reason());
    registry.deleteVersion("ml", "iris", 2);
    assertEquals(RegistryException.Reason.NOT_FOUND,
        assertThrows(RegistryException.class, () -> registry.modelUris().resolve("ml", ModelUri.parse("u", "models:/iris/2"))).reason());
  }

  @Test
  void aVersionOrAliasALiveServiceUsesIsNotDeleted() {
    saveService("svc-a", "models:/iris@production", "models:/iris/1");
    saveService("svc-b", "models:/iris/2", "models:/iris/2");
    RegistryException alias = assertThrows(RegistryException.class, () -> registry.deleteAlias("ml", "iris", "production", null));
    assertEquals(RegistryException.Reason.IN_USE, alias.reason());
    assertTrue(alias.getMessage().contains("used by InferenceService svc-a"), alias.getMessage());
    RegistryException v1 = assertThrows(RegistryException.class, () -> registry.deleteVersion("ml", "iris", 1));
    assertTrue(v1.getMessage().contains("used by InferenceService svc-a"), v1.getMessage());
    RegistryException v2 = assertThrows(RegistryException.class, () -> registry.deleteVersion("ml", "iris", 2));
    assertTrue(v2.getMessage().contains("svc-b"), v2.getMessage());
    RegistryException model = assertThrows(RegistryException.class, () -> registry.deleteModel("ml", "iris"));
    assertTrue(model.getMessage().contains("InferenceServices svc-a, svc-b"), model.getMessage());

    store.remove(InferenceService.PLURAL, "ml", "svc-b");
    registry.deleteVersion("ml", "iris", 2);
    store.markDeleted(InferenceService.PLURAL, "ml", "svc-a");
    registry.deleteAlias("ml", "iris", "production", null);
    assertEquals(List.of(1L), registry.listVersions("ml", "iris").stream().map(v -> v.getSpec().getVersion()).toList());
  }

  private void saveService(String name, String storageUri, String revisionUri) {
    ObjectNode svc = Manifests.json().valueToTree(Map.of("apiVersion", "capstan.dev/v1alpha1", "kind", "InferenceService",
        "metadata", Map.of("namespace", "ml", "name", name),
        "spec", Map.of("predictor", Map.of("model", Map.of("modelFormat", Map.of("name", "onnx"), "storageUri", storageUri)))));
    store.apply(InferenceService.PLURAL, svc);
    store.updateStatus(InferenceService.PLURAL, "ml", name, Manifests.json().valueToTree(Map.of("revisions",
        List.of(Map.of("name", name + "-predictor-00001", "storageUri", revisionUri, "state", "Ready", "trafficPercent", 100)))));
  }

  private static StorageUri uri(String text) {
    return StorageUri.check(new Errors(), "storageUri", text).orElseThrow();
  }

  private Path modelDir(String content) throws Exception {
    Path dir = Files.createDirectories(files.resolve("model-" + content));
    Files.writeString(dir.resolve("model.onnx"), "weights " + content);
    return dir;
  }
}
