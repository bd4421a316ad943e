package dev.capstan.artifacts.s3;

import static dev.capstan.artifacts.TestingArtifacts.assertSameFiles;
import static dev.capstan.artifacts.TestingArtifacts.modelDirectory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.artifacts.ArtifactLimits;
import dev.capstan.artifacts.ArtifactStores;
import dev.capstan.artifacts.DirectorySource;
import dev.capstan.artifacts.DirectoryTarget;
import dev.capstan.core.registry.ArtifactException;
import dev.capstan.core.registry.ArtifactException.Reason;
import dev.capstan.core.registry.ArtifactFile;
import dev.capstan.core.registry.ArtifactManifest;
import dev.capstan.core.registry.ArtifactSource;
import dev.capstan.core.registry.ArtifactStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

class S3ArtifactStoreTest {
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
  void aDirectoryGoesUpUnderPrefixAndKeyAndComesBackByteForByte() throws Exception {
    Path model = modelDirectory(tmp.resolve("model"), 1);
    try (var store = s3.store("s3://models/team-a/")) {
      ArtifactManifest manifest = store.put("iris/1", DirectorySource.of(model));

      assertEquals("s3://models/team-a/iris/1", manifest.uri());
      assertEquals(List.of("team-a/iris/1/config.json", "team-a/iris/1/model.onnx", "team-a/iris/1/weights/shard-0.bin",
          "team-a/iris/1/weights/shard-1.bin"), objectKeys("team-a/iris/1/"));
      store.get(manifest, DirectoryTarget.at(tmp.resolve("copy")));
      assertSameFiles(model, tmp.resolve("copy"));

      store.delete(manifest);
      assertEquals(List.of(), objectKeys("team-a/iris/1/"));
    }
  }

  @Test
  void aFileLargerThanAPartGoesUpInPartsAndComesBackWhole() throws Exception {
    Path model = Files.createDirectories(tmp.resolve("large"));
    byte[] bytes = new byte[11 << 20];
    new java.util.Random(11).nextBytes(bytes);
    Files.write(model.resolve("weights.bin"), bytes);
    var settings = s3.settings("s3://models/parts");
    try (var store = new S3ArtifactStore(S3Clients.build(settings), "models", "parts", ArtifactLimits.DEFAULT, 5 << 20)) {
      ArtifactManifest manifest = store.put("m/1", DirectorySource.of(model));

      String eTag = admin.headObject(b -> b.bucket("models").key("parts/m/1/weights.bin")).eTag();
      assertTrue(eTag.endsWith("-3\""), "three parts: " + eTag);
      store.get(manifest, DirectoryTarget.at(tmp.resolve("copy")));
      assertSameFiles(model, tmp.resolve("copy"));
    }
  }

  @Test
  void aLargeFileThatGrowsWhileUploadedIsRefusedAndItsUploadAborted() throws Exception {
    ArtifactSource growing = new ArtifactSource() {
      @Override
      public List<Entry> entries() {
        return List.of(new Entry("weights.bin", 6 << 20));
      }

      @Override
      public java.io.InputStream open(String path) {
        return new java.io.ByteArrayInputStream(new byte[12 << 20]);
      }
    };
    var settings = s3.settings("s3://models/growing");
    try (var store = new S3ArtifactStore(S3Clients.build(settings), "models", "growing", ArtifactLimits.DEFAULT, 5 << 20)) {
      var error = assertThrows(ArtifactException.class, () -> store.put("m/1", growing));

      assertEquals(Reason.SOURCE_CHANGED, error.reason());
      assertEquals(List.of(), objectKeys("growing/"));
      assertEquals(List.of(), admin.listMultipartUploads(b -> b.bucket("models").prefix("growing/")).uploads());
    }
  }

  @Test
  void theEnvironmentPicksS3() throws Exception {
    ArtifactStore store = ArtifactStores.fromEnvironment(s3.environment("s3://models/env"), tmp);
    assertTrue(store instanceof S3ArtifactStore, store.getClass().getName());
    ArtifactManifest manifest = store.put("m/1", DirectorySource.of(modelDirectory(tmp.resolve("model"), 2)));
    assertEquals("s3://models/env/m/1", manifest.uri());
    ((S3ArtifactStore) store).close();
  }

  @Test
  void anObjectAlteredInTheBucketFailsTheGetWithChecksumMismatchAndLeavesNothing() throws Exception {
    try (var store = s3.store("s3://models/tamper")) {
      ArtifactManifest manifest = store.put("m/1", DirectorySource.of(modelDirectory(tmp.resolve("model"), 3)));
      ArtifactFile onnx = file(manifest, "model.onnx");
      byte[] altered = Files.readAllBytes(tmp.resolve("model/model.onnx"));
      altered[10] ^= 1;
      admin.putObject(b -> b.bucket("models").key("tamper/m/1/model.onnx"), RequestBody.fromBytes(altered));

      var error = assertThrows(ArtifactException.class, () -> store.get(manifest, DirectoryTarget.at(tmp.resolve("serving/m"))));

      assertEquals(Reason.CHECKSUM_MISMATCH, error.reason());
      assertTrue(error.getMessage().startsWith("model.onnx: s3://models/tamper/m/1/model.onnx has sha256 ")
          && error.getMessage().contains(onnx.sha256()), error.getMessage());
      assertEmpty(tmp.resolve("serving"));
    }
  }

  @Test
  void aTruncatedObjectFailsTheGetWithItsSizeAndLeavesNothing() throws Exception {
    try (var store = s3.store("s3://models/truncate")) {
      ArtifactManifest manifest = store.put("m/1", DirectorySource.of(modelDirectory(tmp.resolve("model"), 4)));
      byte[] whole = Files.readAllBytes(tmp.resolve("model/model.onnx"));
      admin.putObject(b -> b.bucket("models").key("truncate/m/1/model.onnx"),
          RequestBody.fromBytes(java.util.Arrays.copyOf(whole, 1000)));

      var error = assertThrows(ArtifactException.class, () -> store.get(manifest, DirectoryTarget.at(tmp.resolve("serving/m"))));

      assertEquals(Reason.TRUNCATED, error.reason());
      assertTrue(error.getMessage().contains("holds 1000 bytes, the manifest says " + whole.length), error.getMessage());
      assertEmpty(tmp.resolve("serving"));
    }
  }

  @Test
  void bytesThatChangeBetweenHashingAndUploadAreRefusedByTheServerAndNothingStays() throws Exception {
    var opens = new java.util.concurrent.atomic.AtomicInteger();
    ArtifactSource changing = new ArtifactSource() {
      @Override
      public List<Entry> entries() {
        return List.of(new Entry("a.bin", 4), new Entry("b.bin", 4));
      }

      @Override
      public java.io.InputStream open(String path) {
        byte[] bytes = path.equals("b.bin") && opens.incrementAndGet() > 1 ? new byte[] {9, 9, 9, 9} : new byte[] {1, 2, 3, 4};
        return new java.io.ByteArrayInputStream(bytes);
      }
    };
    try (var store = s3.store("s3://models/changing")) {
      var error = assertThrows(ArtifactException.class, () -> store.put("m/1", changing));

      assertEquals(Reason.CHECKSUM_MISMATCH, error.reason());
      assertTrue(error.getMessage().contains("did not match their checksum"), error.getMessage());
      assertEquals(List.of(), objectKeys("changing/"), "a.bin, uploaded before b.bin failed, is deleted again");
    }
  }

  @Test
  void aMissingObjectIsNotFound() throws Exception {
    try (var store = s3.store("s3://models/missing")) {
      ArtifactManifest manifest = store.put("m/1", DirectorySource.of(modelDirectory(tmp.resolve("model"), 5)));
      admin.deleteObject(b -> b.bucket("models").key("missing/m/1/config.json"));

      var error = assertThrows(ArtifactException.class, () -> store.get(manifest, DirectoryTarget.at(tmp.resolve("copy"))));
      assertEquals(Reason.NOT_FOUND, error.reason());
      assertFalse(Files.exists(tmp.resolve("copy")));
    }
  }

  @Test
  void aMissingBucketIsNamed() throws Exception {
    try (var store = s3.store("s3://no-such-bucket/x")) {
      var error = assertThrows(ArtifactException.class,
          () -> store.put("m/1", DirectorySource.of(modelDirectory(tmp.resolve("model"), 6))));
      assertEquals(Reason.NOT_FOUND, error.reason());
      assertTrue(error.getMessage().contains("the bucket no-such-bucket does not exist"), error.getMessage());
    }
  }

  @Test
  void wrongCredentialsAreAccessDeniedWithTheVariablesToCheck() throws Exception {
    var env = s3.environment("s3://models/creds");
    env.put("AWS_SECRET_ACCESS_KEY", "not-the-secret");
    try (var store = S3ArtifactStore.open(S3Settings.fromEnvironment(env), ArtifactLimits.DEFAULT)) {
      var error = assertThrows(ArtifactException.class,
          () -> store.put("m/1", DirectorySource.of(modelDirectory(tmp.resolve("model"), 7))));
      assertEquals(Reason.ACCESS_DENIED, error.reason());
      assertTrue(error.getMessage().contains("check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"), error.getMessage());
      assertFalse(error.getMessage().contains("not-the-secret"), error.getMessage());
    }
  }

  @Test
  void aKeyThatHoldsObjectsIsNeverOverwritten() throws Exception {
    try (var store = s3.store("s3://models/twice")) {
      store.put("m/1", DirectorySource.of(modelDirectory(tmp.resolve("one"), 8)));
      var error = assertThrows(ArtifactException.class,
          () -> store.put("m/1", DirectorySource.of(modelDirectory(tmp.resolve("two"), 9))));
      assertEquals(Reason.ALREADY_EXISTS, error.reason());
    }
  }

  @Test
  void keysAndManifestUrisThatEscapeThePrefixAreRefused() throws Exception {
    try (var store = s3.store("s3://models/safe")) {
      DirectorySource source = DirectorySource.of(modelDirectory(tmp.resolve("model"), 10));
      for (String key : List.of("../outside", "m/../../outside", "%2e%2e/outside", "/abs", "m\u0000")) {
        assertEquals(Reason.INVALID_PATH, assertThrows(ArtifactException.class, () -> store.put(key, source), key).reason(), key);
      }
      var sneaky = new ArtifactManifest("s3://models/safe/../other", List.of());
      assertEquals(Reason.INVALID_PATH, assertThrows(ArtifactException.class,
          () -> store.get(sneaky, DirectoryTarget.at(tmp.resolve("copy")))).reason());
      assertEquals(List.of(), objectKeys("outside"));
    }
  }

  private static List<String> objectKeys(String prefix) {
    return admin.listObjectsV2(b -> b.bucket("models").prefix(prefix)).contents().stream().map(S3Object::key).sorted().toList();
  }

  private static ArtifactFile file(ArtifactManifest manifest, String path) {
    return manifest.files().stream().filter(f -> f.path().equals(path)).findFirst().orElseThrow();
  }

  private static void assertEmpty(Path dir) throws Exception {
    try (Stream<Path> children = Files.list(dir)) {
      assertEquals(List.of(), children.toList(), "left in " + dir);
    }
  }
}
