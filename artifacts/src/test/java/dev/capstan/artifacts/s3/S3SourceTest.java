package dev.capstan.artifacts.s3;

import static dev.capstan.artifacts.TestingArtifacts.assertSameFiles;
import static dev.capstan.artifacts.TestingArtifacts.modelDirectory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.artifacts.ArtifactLimits;
import dev.capstan.artifacts.ArtifactSources;
import dev.capstan.artifacts.DirectoryTarget;
import dev.capstan.artifacts.file.FileArtifactStore;
import dev.capstan.core.registry.ArtifactException;
import dev.capstan.core.registry.ArtifactException.Reason;
import dev.capstan.core.registry.ArtifactManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Registering what a job wrote to an S3 prefix: every object under it becomes a file of the artifact. */
class S3SourceTest {
  private static TestingS3 s3;
  private static S3Client admin;

  @TempDir Path tmp;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = TestingS3.shared();
    admin = s3.client();
  }

  @AfterAll
  static void closeClient() {
    admin.close();
  }

  @Test
  void everyObjectUnderThePrefixIsStoredInTheLocalStore() throws Exception {
    Path model = modelDirectory(tmp.resolve("model"), 21);
    upload(model, "outputs/job-1/");
    admin.putObject(b -> b.bucket("models").key("outputs/job-1/empty-dir/"), RequestBody.empty());
    admin.putObject(b -> b.bucket("models").key("outputs/job-10/other.bin"), RequestBody.fromBytes(new byte[] {1}));
    var store = FileArtifactStore.open(tmp.resolve("home/artifacts"), ArtifactLimits.DEFAULT);

    ArtifactManifest manifest;
    try (var source = ArtifactSources.of("s3://models/outputs/job-1", s3.environment("s3://unused/x"))) {
      manifest = store.put("iris/1", source);
    }

    assertEquals(4, manifest.files().size(), manifest.toString());
    store.get(manifest, DirectoryTarget.at(tmp.resolve("copy")));
    assertSameFiles(model, tmp.resolve("copy"));
  }

  @Test
  void anObjectKeyThatEscapesThePrefixIsRefusedNamingTheKey() {
    for (String key : new String[] {"outputs/evil/../../etc/passwd", "outputs/evil2/%2e%2e/x", "outputs/evil3//x"}) {
      admin.putObject(b -> b.bucket("models").key(key), RequestBody.fromBytes(new byte[] {1}));
      String prefix = key.substring(0, key.indexOf('/', "outputs/".length()));
      var error = assertThrows(ArtifactException.class,
          () -> ArtifactSources.of("s3://models/" + prefix, s3.environment("s3://unused/x")), key);
      assertEquals(Reason.INVALID_PATH, error.reason(), key);
      assertTrue(error.getMessage().startsWith("s3://models/" + key + ": "), error.getMessage());
    }
  }

  @Test
  void anEmptyPrefixIsNotFound() {
    var error = assertThrows(ArtifactException.class,
        () -> ArtifactSources.of("s3://models/outputs/nothing-here", s3.environment("s3://unused/x")));
    assertEquals(Reason.NOT_FOUND, error.reason());
    assertTrue(error.getMessage().contains("holds no objects"), error.getMessage());
  }

  private static void upload(Path dir, String prefix) throws Exception {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path file : paths.filter(Files::isRegularFile).toList()) {
        String key = prefix + dir.relativize(file).toString().replace('\\', '/');
        admin.putObject(b -> b.bucket("models").key(key), RequestBody.fromFile(file));
      }
    }
  }
}
