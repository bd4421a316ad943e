package dev.capstan.artifacts.file;

import dev.capstan.artifacts.ArtifactLimits;
import dev.capstan.artifacts.CheckedCopy;
import dev.capstan.artifacts.OwnerOnlyFiles;
import dev.capstan.core.registry.ArtifactException;
import dev.capstan.core.registry.ArtifactException.Reason;
import dev.capstan.core.registry.ArtifactFile;
import dev.capstan.core.registry.ArtifactManifest;
import dev.capstan.core.registry.ArtifactPath;
import dev.capstan.core.registry.ArtifactSource;
import dev.capstan.core.registry.ArtifactStore;
import dev.capstan.core.registry.ArtifactTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The embedded artifact store: a content-addressed directory ({@code $CAPSTAN_HOME/artifacts}).
 *
 * <pre>
 *   blobs/ab/cdef…        one file per distinct content, named by its sha256
 *   manifests/KEY.json    what a put stored under KEY (paths, sizes, sha256s)
 *   tmp/                  files being written; emptied when the store opens
 * </pre>
 *
 * A put writes each file to {@code tmp/} (0600, fsync), renames it to its blob, reads the blob back
 * to check its sha256, and only then creates the manifest (fsync, hard link: never over an
 * existing key). Identical files are stored once. A delete removes the manifest, then every blob
 * that no other manifest names. Puts and gets run side by side; a delete waits for them. One
 * process owns a store (local mode's control plane).
 */
public final class FileArtifactStore implements ArtifactStore {
  private final Path root;
  private final Path blobs;
  private final Path manifests;
  private final Path tmp;
  private final ArtifactLimits limits;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();

  private FileArtifactStore(Path root, ArtifactLimits limits) {
    this.root = root;
    this.blobs = root.resolve("blobs");
    this.manifests = root.resolve("manifests");
    this.tmp = root.resolve("tmp");
    this.limits = limits;
  }

  /** Opens (creating, 0700) the store under {@code root} and deletes what a crash left in {@code tmp/}. */
  public static FileArtifactStore open(Path root, ArtifactLimits limits) {
    var store = new FileArtifactStore(root.toAbsolutePath().normalize(), limits);
    try {
      OwnerOnlyFiles.directories(store.root);
      OwnerOnlyFiles.deleteTree(store.tmp);
      for (Path dir : List.of(store.blobs, store.manifests, store.tmp)) {
        OwnerOnlyFiles.directories(dir);
      }
    } catch (IOException e) {
      throw new ArtifactException(Reason.UNAVAILABLE, "cannot open the artifact store at " + store.root + ": " + e.getMessage(), e);
    }
    return store;
  }

  public Path root() {
    return root;
  }

  @Override
  public ArtifactManifest put(String key, ArtifactSource source) {
    ArtifactPath.check(key, "key");
    List<ArtifactSource.Entry> entries = source.entries();
    limits.check(key, entries);
    var stored = new ArrayList<ArtifactFile>();
    try {
      return storeAll(key, source, entries, stored);
    } catch (RuntimeException e) {
      removeUnnamed(stored);
      throw e;
    }
  }

  /** Stores every blob (adding each to {@code stored} as it lands), then the manifest. */
  private ArtifactManifest storeAll(String key, ArtifactSource source, List<ArtifactSource.Entry> entries,
      List<ArtifactFile> stored) {
    Path manifestFile = manifestFile(key);
    lock.readLock().lock();
    try {
      if (Files.exists(manifestFile)) {
        throw new ArtifactException(Reason.ALREADY_EXISTS, key + ": an artifact is already stored under this key");
      }
      for (ArtifactSource.Entry entry : entries) {
        stored.add(storeBlob(key, source, entry));
      }
      var manifest = new ArtifactManifest(manifestFile.toUri().toString(), stored);
      publish(key, manifestFile, manifest);
      return manifest;
    } catch (IOException e) {
      throw new ArtifactException(Reason.UNAVAILABLE, key + ": cannot store the artifact: " + e.getMessage(), e);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void get(ArtifactManifest manifest, ArtifactTarget target) {
    lock.readLock().lock();
    try {
      for (ArtifactFile file : manifest.files()) {
        copyBlob(file, target);
      }
      target.commit();
    } catch (IOException | RuntimeException e) {
      target.abort();
      throw e instanceof ArtifactException artifact ? artifact
          : new ArtifactException(Reason.UNAVAILABLE, manifest.uri() + ": cannot copy the artifact: " + e.getMessage(), e);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void delete(ArtifactManifest manifest) {
    Path manifestFile = manifestFileOf(manifest.uri());
    lock.writeLock().lock();
    try {
      if (Files.deleteIfExists(manifestFile)) {
        OwnerOnlyFiles.syncDirectory(manifestFile.getParent());
      }
      deleteBlobsNoManifestNames(manifest.files());
    } catch (IOException | UncheckedIOException e) {
      throw new ArtifactException(Reason.UNAVAILABLE, manifest.uri() + ": cannot delete the artifact: " + e.getMessage(), e);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** After a failed put: the blobs it stored that no manifest names go again (best effort). */
  private void removeUnnamed(List<ArtifactFile> stored) {
    if (stored.isEmpty()) {
      return;
    }
    lock.writeLock().lock();
    try {
      deleteBlobsNoManifestNames(stored);
    } catch (IOException | UncheckedIOException e) {
      // the put's own error is the one to report; an orphan blob is only space
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void deleteBlobsNoManifestNames(List<ArtifactFile> files) throws IOException {
    Set<String> stillNamed = namedBlobs();
    for (ArtifactFile file : files) {
      if (!stillNamed.contains(file.sha256())) {
        Files.deleteIfExists(blobFile(file.sha256()));
      }
    }
  }

  private ArtifactFile storeBlob(String key, ArtifactSource source, ArtifactSource.Entry entry) throws IOException {
    Path temporary = tmp.resolve(UUID.randomUUID() + ".blob");
    try {
      CheckedCopy.Copied copied;
      try (InputStream in = source.open(entry.path());
          FileChannel channel = OwnerOnlyFiles.create(temporary);
          OutputStream out = Channels.newOutputStream(channel)) {
        copied = CheckedCopy.copy(in, out, entry.size());
        channel.force(true);
      }
      if (copied.size() != entry.size()) {
        throw new ArtifactException(Reason.SOURCE_CHANGED, key + ": " + entry.path() + " changed while it was stored ("
            + entry.size() + " bytes when listed, " + (copied.size() > entry.size() ? "more" : copied.size()) + " when read)");
      }
      var file = new ArtifactFile(entry.path(), copied.size(), copied.sha256());
      Path blob = blobFile(file.sha256());
      OwnerOnlyFiles.directories(blob.getParent());
      OwnerOnlyFiles.rename(temporary, blob);
      try (InputStream stored = Files.newInputStream(blob)) {
        CheckedCopy.verified(stored, null, file, "the blob just stored");
      }
      return file;
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private void publish(String key, Path manifestFile, ArtifactManifest manifest) throws IOException {
    OwnerOnlyFiles.directories(manifestFile.getParent());
    Path temporary = tmp.resolve(UUID.randomUUID() + ".json");
    try {
      try (FileChannel channel = OwnerOnlyFiles.create(temporary)) {
        channel.write(java.nio.ByteBuffer.wrap(ManifestJson.write(key, manifest)));
        channel.force(true);
      }
      try {
        Files.createLink(manifestFile, temporary);
      } catch (FileAlreadyExistsException e) {
        throw new ArtifactException(Reason.ALREADY_EXISTS, key + ": an artifact is already stored under this key");
      }
      OwnerOnlyFiles.syncDirectory(manifestFile.getParent());
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private void copyBlob(ArtifactFile file, ArtifactTarget target) throws IOException {
    Path blob = blobFile(file.sha256());
    InputStream in;
    try {
      in = Files.newInputStream(blob);
    } catch (NoSuchFileException e) {
      throw new ArtifactException(Reason.NOT_FOUND, file.path() + ": its blob " + file.sha256() + " is missing from " + blobs);
    }
    try (in; OutputStream out = target.create(file.path())) {
      CheckedCopy.verified(in, out, file, "blob " + blob);
    }
  }

  private Set<String> namedBlobs() throws IOException {
    var named = new HashSet<String>();
    try (var paths = Files.walk(manifests)) {
      for (Path path : paths.filter(p -> p.toString().endsWith(".json") && Files.isRegularFile(p)).toList()) {
        for (ArtifactFile file : ManifestJson.read(path).files()) {
          named.add(file.sha256());
        }
      }
    }
    return named;
  }

  private Path blobFile(String sha256) {
    return blobs.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2));
  }

  private Path manifestFile(String key) {
    return manifests.resolve(key + ".json");
  }

  private Path manifestFileOf(String uri) {
    Path file;
    try {
      file = Path.of(java.net.URI.create(uri)).normalize();
    } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
      throw new ArtifactException(Reason.NOT_FOUND, uri + ": is not an artifact of the store at " + root);
    }
    if (!file.startsWith(manifests) || !file.toString().endsWith(".json")) {
      throw new ArtifactException(Reason.NOT_FOUND, uri + ": is not an artifact of the store at " + root);
    }
    String key = manifests.relativize(file).toString();
    ArtifactPath.check(key.substring(0, key.length() - ".json".length()), "uri");
    return file;
  }
}
