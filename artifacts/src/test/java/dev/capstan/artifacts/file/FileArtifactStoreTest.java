package dev.capstan.artifacts.file;

import static dev.capstan.artifacts.TestingArtifacts.assertSameFiles;
import static dev.capstan.artifacts.TestingArtifacts.modelDirectory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.artifacts.ArtifactLimits;
import dev.capstan.artifacts.DirectorySource;
import dev.capstan.artifacts.DirectoryTarget;
import dev.capstan.core.registry.ArtifactException;
import dev.capstan.core.registry.ArtifactException.Reason;
import dev.capstan.core.registry.ArtifactFile;
import dev.capstan.core.registry.ArtifactManifest;
import dev.capstan.core.registry.ArtifactSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileArtifactStoreTest {
  @TempDir Path tmp;

  private FileArtifactStore store() {
    return FileArtifactStore.open(tmp.resolve("home/artifacts"), ArtifactLimits.DEFAULT);
  }

  @Test
  void aDirectoryComesBackByteForByteWithEverySha256Recorded() throws Exception {
    Path model = modelDirectory(tmp.resolve("model"), 1);
    FileArtifactStore store = store();

    ArtifactManifest manifest = store.put("models/iris/1", DirectorySource.of(model));

    assertEquals(List.of("config.json", "model.onnx", "weights/shard-0.bin", "weights/shard-1.bin"),
        manifest.files().stream().map(ArtifactFile::path).toList());
    for (ArtifactFile file : manifest.files()) {
      byte[] bytes = Files.readAllBytes(model.resolve(file.path()));
      assertEquals(bytes.length, file.size(), file.path());
      assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), file.sha256(), file.path());
    }
    assertTrue(manifest.uri().startsWith("file:") && manifest.uri().endsWith("/manifests/models/iris/1.json"), manifest.uri());

    Path copy = tmp.resolve("copy");
    store.get(manifest, DirectoryTarget.at(copy));
    assertSameFiles(model, copy);
  }

  @Test
  void everythingStoredAndFetchedIsOwnerOnly() throws Exception {
    FileArtifactStore store = store();
    ArtifactManifest manifest = store.put("m/1", DirectorySource.of(modelDirectory(tmp.resolve("model"), 2)));
    Path copy = tmp.resolve("copy");
    store.get(manifest, DirectoryTarget.at(copy));

    for (Path root : List.of(store.root(), copy)) {
      try (Stream<Path> paths = Files.walk(root)) {
        for (Path path : paths.toList()) {
          String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
          assertEquals(Files.isDirectory(path) ? "rwx------" : "rw-------", mode, path.toString());
        }
      }
    }
  }

  @Test
  void aTamperedBlobFailsTheGetAndLeavesNothingAtTheDestination() throws Exception {
    FileArtifactStore store = store();
    ArtifactManifest manifest = store.put("m/1", DirectorySource.of(modelDirectory(tmp.resolve("model"), 3)));
    ArtifactFile onnx = file(manifest, "model.onnx");
    Path blob = blob(store, onnx);
    byte[] bytes = Files.readAllBytes(blob);
    bytes[bytes.length / 2] ^= 1;
    Files.write(blob, bytes);

    Path copy = tmp.resolve("serving/m");
    var error = assertThrows(ArtifactException.class, () -> store.get(manifest, DirectoryTarget.at(copy)));

    assertEquals(Reason.CHECKSUM_MISMATCH, error.reason());
    assertTrue(error.getMessage().startsWith("model.onnx: ") && error.getMessage().contains(onnx.sha256()), error.getMessage());
    assertNothingLeftIn(copy.getParent());
  }

  @Test
  void aTruncatedBlobFailsTheGetWithItsSizeAndLeavesNothingAtTheDestination() throws Exception {
    FileArtifactStore store = store();
    ArtifactManifest manifest = store.put("m/1", DirectorySource.of(modelDirectory(tmp.resolve("model"), 4)));
    ArtifactFile onnx = file(manifest, "model.onnx");
    try (FileChannel channel = FileChannel.open(blob(store, onnx), StandardOpenOption.WRITE)) {
      channel.truncate(1000);
    }

    Path copy = tmp.resolve("serving/m");
    var error = assertThrows(ArtifactException.class, () -> store.get(manifest, DirectoryTarget.at(copy)));

    assertEquals(Reason.TRUNCATED, error.reason());
    assertTrue(error.getMessage().contains("holds 1000 bytes, the manifest says " + onnx.size()), error.getMessage());
    assertNothingLeftIn(copy.getParent());
  }

  @Test
  void aGetNeverReplacesWhatIsAlreadyAtTheDestination() throws Exception {
    FileArtifactStore store = store();
    ArtifactManifest manifest = store.put("m/1", DirectorySource.of(modelDirectory(tmp.resolve("model"), 5)));
    Path serving = Files.createDirectories(tmp.resolve("serving"));
    Files.writeString(serving.resolve("model.onnx"), "in use");

    var error = assertThrows(ArtifactException.class, () -> store.get(manifest, DirectoryTarget.at(serving)));

    assertEquals(Reason.ALREADY_EXISTS, error.reason());
    assertEquals("in use", Files.readString(serving.resolve("model.onnx")));
  }

  @Test
  void aGetMayFillAnEmptyDirectory() throws Exception {
    FileArtifactStore store = store();
    Path model = modelDirectory(tmp.resolve("model"), 14);
    ArtifactManifest manifest = store.put("m/1", DirectorySource.of(model));
    Path empty = Files.createDirectories(tmp.resolve("empty"));

    store.get(manifest, DirectoryTarget.at(empty));

    assertSameFiles(model, empty);
  }

  @Test
  void aDeleteDuringAPutNeverTakesABlobThePutIsAboutToName() throws Exception {
    FileArtifactStore store = store();
    byte[] shared = {1, 2, 3};
    ArtifactManifest old = store.put("d/0", new TestingSource(List.of(new ArtifactSource.Entry("shared.bin", 3)), path -> shared));
    var deleteFailure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
    var deleter = Thread.ofPlatform().unstarted(() -> {
      try {
        store.delete(old);
      } catch (Throwable e) {
        deleteFailure.set(e);
      }
    });
    // The put has stored a.bin (the same bytes as d/0's shared.bin) when it opens b.bin; the delete of
    // d/0 runs then, and the put goes on once the delete has finished or is waiting for it.
    var source = new TestingSource(List.of(new ArtifactSource.Entry("a.bin", 3), new ArtifactSource.Entry("b.bin", 1)), path -> {
      if (path.equals("b.bin")) {
        deleter.start();
        while (deleter.getState() != Thread.State.WAITING && deleter.getState() != Thread.State.TERMINATED) {
          Thread.onSpinWait();
        }
        return new byte[] {4};
      }
      return shared;
    });

    ArtifactManifest stored = store.put("m/1", source);
    deleter.join();

    assertEquals(null, deleteFailure.get());
    store.get(stored, DirectoryTarget.at(tmp.resolve("copy")));
    assertEquals(List.of((byte) 1, (byte) 2, (byte) 3), boxed(Files.readAllBytes(tmp.resolve("copy/a.bin"))));
  }

  private static List<Byte> boxed(byte[] bytes) {
    var out = new java.util.ArrayList<Byte>();
    for (byte b : bytes) {
      out.add(b);
    }
    return out;
  }

  @Test
  void aMissingBlobIsNotFound() throws Exception {
    FileArtifactStore store = store();
    ArtifactManifest manifest = store.put("m/1", DirectorySource.of(modelDirectory(tmp.resolve("model"), 6)));
    Files.delete(blob(store, file(manifest, "config.json")));

    var error = assertThrows(ArtifactException.class, () -> store.get(manifest, DirectoryTarget.at(tmp.resolve("copy"))));
    assertEquals(Reason.NOT_FOUND, error.reason());
    assertFalse(Files.exists(tmp.resolve("copy")));
  }

  @Test
  void identicalFilesAreStoredOnceAndADeleteKeepsWhatAnotherArtifactStillNames() throws Exception {
    FileArtifactStore store = store();
    ArtifactManifest first = store.put("m/1", DirectorySource.of(modelDirectory(tmp.resolve("one"), 7)));
    ArtifactManifest second = store.put("m/2", DirectorySource.of(modelDirectory(tmp.resolve("two"), 8)));
    assertEquals(file(first, "weights/shard-0.bin").sha256(), file(second, "weights/shard-1.bin").sha256());
    assertEquals(5, blobCount(store), "two distinct model.onnx, two config.json, one shard");

    store.delete(first);
    store.delete(first);

    assertEquals(3, blobCount(store));
    assertFalse(Files.exists(blob(store, file(first, "model.onnx"))));
    store.get(second, DirectoryTarget.at(tmp.resolve("copy")));
    assertSameFiles(tmp.resolve("two"), tmp.resolve("copy"));
  }

  @Test
  void aKeyIsStoredOnce() throws Exception {
    FileArtifactStore store = store();
    store.put("m/1", DirectorySource.of(modelDirectory(tmp.resolve("one"), 9)));
    var error = assertThrows(ArtifactException.class,
        () -> store.put("m/1", DirectorySource.of(modelDirectory(tmp.resolve("two"), 10))));
    assertEquals(Reason.ALREADY_EXISTS, error.reason());
  }

  @Test
  void keysThatEscapeTheStoreAreRefusedBeforeAnythingIsWritten() throws Exception {
    FileArtifactStore store = store();
    DirectorySource source = DirectorySource.of(modelDirectory(tmp.resolve("model"), 11));
    for (String key : List.of("../outside", "m/../../outside", "%2e%2e/outside", "/etc/capstan", "m\u0000/1", "m\\..\\1")) {
      var error = assertThrows(ArtifactException.class, () -> store.put(key, source), key);
      assertEquals(Reason.INVALID_PATH, error.reason(), key);
      assertTrue(error.getMessage().startsWith("key: "), error.getMessage());
    }
    assertEquals(0, blobCount(store));
    assertFalse(Files.exists(tmp.resolve("home/outside.json")));
  }

  @Test
  void artifactPathsThatEscapeAreRefusedWhereverTheyComeIn() throws Exception {
    assertThrows(ArtifactException.class, () -> new ArtifactSource.Entry("../etc/passwd", 1));
    assertThrows(ArtifactException.class, () -> new ArtifactFile("%2E%2E/x", 1, "0".repeat(64)));
    DirectoryTarget target = DirectoryTarget.at(tmp.resolve("copy"));
    var error = assertThrows(ArtifactException.class, () -> target.create("a/../../escape"));
    assertEquals(Reason.INVALID_PATH, error.reason());
    target.abort();
    assertNothingLeftIn(tmp);
  }

  @Test
  void aDeleteOfAManifestFromOutsideTheStoreTouchesNothing() throws Exception {
    FileArtifactStore store = store();
    Path victim = Files.writeString(tmp.resolve("victim.json"), "{}");
    for (String uri : List.of(victim.toUri().toString(),
        store.root().toUri() + "manifests/../../../victim.json", "s3://bucket/m/1", "not a uri")) {
      var error = assertThrows(ArtifactException.class, () -> store.delete(new ArtifactManifest(uri, List.of())), uri);
      assertEquals(Reason.NOT_FOUND, error.reason(), uri);
    }
    assertTrue(Files.exists(victim));
  }

  @Test
  void aSymbolicLinkInTheSourceIsRefusedNotFollowed() throws Exception {
    Path model = modelDirectory(tmp.resolve("model"), 12);
    Files.writeString(tmp.resolve("secret"), "not yours");
    Files.createSymbolicLink(model.resolve("link"), tmp.resolve("secret"));

    var error = assertThrows(ArtifactException.class, () -> DirectorySource.of(model));
    assertEquals(Reason.INVALID_PATH, error.reason());
    assertTrue(error.getMessage().startsWith("link: is a symbolic link"), error.getMessage());
  }

  @Test
  void aPutOverTheLimitsIsRefusedBeforeAnythingIsWritten() throws Exception {
    DirectorySource source = DirectorySource.of(modelDirectory(tmp.resolve("model"), 13));
    var fewFiles = FileArtifactStore.open(tmp.resolve("a"), new ArtifactLimits(3, 1L << 30));
    var fewBytes = FileArtifactStore.open(tmp.resolve("b"), new ArtifactLimits(100, 50_000));

    var files = assertThrows(ArtifactException.class, () -> fewFiles.put("m/1", source));
    var bytes = assertThrows(ArtifactException.class, () -> fewBytes.put("m/1", source));

    assertEquals(Reason.TOO_LARGE, files.reason());
    assertTrue(files.getMessage().contains("4 files is more than the limit of 3"), files.getMessage());
    assertEquals(Reason.TOO_LARGE, bytes.reason());
    assertTrue(bytes.getMessage().contains("50000 bytes"), bytes.getMessage());
    assertEquals(0, blobCount(fewFiles) + blobCount(fewBytes));
  }

  @Test
  void aSourceThatChangesWhileStoredFailsThePutAndLeavesNoTrace() throws Exception {
    FileArtifactStore store = store();
    var shrinking = new TestingSource(List.of(new ArtifactSource.Entry("a.bin", 10), new ArtifactSource.Entry("b.bin", 10)),
        path -> path.equals("a.bin") ? new byte[10] : new byte[4]);

    var error = assertThrows(ArtifactException.class, () -> store.put("m/1", shrinking));

    assertEquals(Reason.SOURCE_CHANGED, error.reason());
    assertEquals(0, blobCount(store), "the blob of a.bin, stored before b.bin failed, is removed again");
    assertFalse(Files.exists(store.root().resolve("manifests/m/1.json")));
    store.put("m/1", new TestingSource(List.of(new ArtifactSource.Entry("a.bin", 3)), path -> new byte[3]));
  }

  private static ArtifactFile file(ArtifactManifest manifest, String path) {
    return manifest.files().stream().filter(f -> f.path().equals(path)).findFirst().orElseThrow();
  }

  private static Path blob(FileArtifactStore store, ArtifactFile file) {
    return store.root().resolve("blobs").resolve(file.sha256().substring(0, 2)).resolve(file.sha256().substring(2));
  }

  private static long blobCount(FileArtifactStore store) throws IOException {
    try (Stream<Path> paths = Files.walk(store.root().resolve("blobs"))) {
      return paths.filter(Files::isRegularFile).count();
    }
  }

  /** Nothing but what the test itself put there: no destination, no hidden .partial directory. */
  private static void assertNothingLeftIn(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> children = Files.list(dir)) {
      List<String> names = children.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".") || n.equals("m") || n.equals("copy")).toList();
      assertEquals(List.of(), names, "left in " + dir);
    }
  }

  /** A source whose bytes the test chooses, which may disagree with the sizes it lists. */
  private record TestingSource(List<Entry> entries, java.util.function.Function<String, byte[]> bytes) implements ArtifactSource {
    @Override
    public InputStream open(String path) {
      return new ByteArrayInputStream(bytes.apply(path));
    }
  }
}
