package dev.capstan.artifacts.s3;

import dev.capstan.artifacts.ArtifactLimits;
import dev.capstan.artifacts.CheckedCopy;
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
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Artifacts on S3 (or an S3-compatible server): the files of key K under {@code s3://bucket/prefix/K/…}.
 *
 * <p>A put first refuses a key that already holds objects, reads each file once to learn its size,
 * sha256 and MD5, uploads it with the MD5 as {@code Content-MD5} (S3 and every S3-compatible server
 * check it and refuse other bytes; {@code x-amz-checksum-sha256} is not as widely implemented) and
 * the sha256 as metadata, then reads the object's size back; a file larger than the part size goes
 * up in one pass as a multipart upload ({@link S3MultipartUpload}). The manifest returned names only
 * files stored and checked; a failed put deletes what it had uploaded. A get streams each object
 * into the target, checking size and sha256 itself, and aborts the target on any difference.
 */
public final class S3ArtifactStore implements ArtifactStore, AutoCloseable {
  /** User metadata that records each object's sha256 ({@code x-amz-meta-sha256}), for people and other tools. */
  public static final String SHA256_METADATA = "sha256";

  /** Files larger than this go up as multipart uploads of parts this size. */
  public static final long DEFAULT_PART_BYTES = 64L << 20;

  private final S3Client client;
  private final String bucket;
  private final String prefix;
  private final ArtifactLimits limits;
  private final S3Errors errors;
  private final long partSize;
  private final S3MultipartUpload multipart;

  public S3ArtifactStore(S3Client client, String bucket, String prefix, ArtifactLimits limits) {
    this(client, bucket, prefix, limits, DEFAULT_PART_BYTES);
  }

  /** {@code partSize}: files larger than this are uploaded in parts this size (at least 5 MiB, at most 1 GiB). */
  public S3ArtifactStore(S3Client client, String bucket, String prefix, ArtifactLimits limits, long partSize) {
    if (partSize < S3MultipartUpload.MIN_PART_BYTES || partSize > 1L << 30) {
      throw new IllegalArgumentException("partSize must be from 5 MiB to 1 GiB, got " + partSize);
    }
    this.partSize = partSize;
    this.multipart = new S3MultipartUpload(client, bucket, partSize);
    this.client = client;
    this.bucket = bucket;
    this.prefix = prefix == null || prefix.isEmpty() ? "" : prefix + "/";
    this.limits = limits;
    this.errors = new S3Errors(bucket);
  }

  /** A store with its own client built from the settings. */
  public static S3ArtifactStore open(S3Settings settings, ArtifactLimits limits) {
    return new S3ArtifactStore(S3Clients.build(settings), settings.bucket(), settings.prefix(), limits);
  }

  @Override
  public ArtifactManifest put(String key, ArtifactSource source) {
    ArtifactPath.check(key, "key");
    List<ArtifactSource.Entry> entries = source.entries();
    limits.check(key, entries);
    for (ArtifactSource.Entry entry : entries) {
      if (entry.size() > multipart.maxFileBytes()) {
        throw new ArtifactException(Reason.TOO_LARGE, key + ": " + entry.path() + " has " + entry.size()
            + " bytes, more than the " + multipart.maxFileBytes() + " one S3 object takes in "
            + S3MultipartUpload.MAX_PARTS + " parts of " + partSize);
      }
    }
    String base = prefix + key;
    requireEmpty(key, base + "/");
    var stored = new ArrayList<ArtifactFile>();
    try {
      for (ArtifactSource.Entry entry : entries) {
        stored.add(upload(key, source, entry, base + "/" + entry.path()));
      }
    } catch (RuntimeException e) {
      deleteQuietly(base, stored);
      throw e;
    }
    return new ArtifactManifest("s3://" + bucket + "/" + base, stored);
  }

  @Override
  public void get(ArtifactManifest manifest, ArtifactTarget target) {
    S3Location location = S3Location.of(manifest.uri());
    try {
      for (ArtifactFile file : manifest.files()) {
        download(location, file, target);
      }
      target.commit();
    } catch (IOException | RuntimeException e) {
      target.abort();
      throw e instanceof ArtifactException artifact ? artifact
          : new ArtifactException(Reason.UNAVAILABLE, manifest.uri() + ": cannot copy the artifact: " + e.getMessage(), e);
    }
  }

  @Override
  public void delete(ArtifactManifest manifest) {
    S3Location location = S3Location.of(manifest.uri());
    for (ArtifactFile file : manifest.files()) {
      String objectKey = location.objectKey(file.path());
      try {
        client.deleteObject(b -> b.bucket(location.bucket()).key(objectKey));
      } catch (SdkException e) {
        throw errors.of(e, "cannot delete " + location.uri(file.path()));
      }
    }
  }

  @Override
  public void close() {
    client.close();
  }

  private void requireEmpty(String key, String keyPrefix) {
    try {
      boolean taken = !client.listObjectsV2(b -> b.bucket(bucket).prefix(keyPrefix).maxKeys(1)).contents().isEmpty();
      if (taken) {
        throw new ArtifactException(Reason.ALREADY_EXISTS, key + ": s3://" + bucket + "/" + keyPrefix + " already holds objects");
      }
    } catch (SdkException e) {
      throw errors.of(e, key + ": cannot list s3://" + bucket + "/" + keyPrefix);
    }
  }

  private ArtifactFile upload(String key, ArtifactSource source, ArtifactSource.Entry entry, String objectKey) {
    String where = "s3://" + bucket + "/" + objectKey;
    try {
      ArtifactFile file = entry.size() > partSize
          ? multipart.upload(key, source, entry, objectKey)
          : single(key, source, entry, objectKey);
      HeadObjectResponse head = client.headObject(b -> b.bucket(bucket).key(objectKey));
      if (head.contentLength() == null || head.contentLength() != file.size()) {
        throw new ArtifactException(Reason.TRUNCATED, key + ": " + where + " holds " + head.contentLength()
            + " bytes after upload, the source had " + file.size());
      }
      return file;
    } catch (SdkException e) {
      throw errors.of(e, key + ": cannot upload " + entry.path() + " to " + where);
    }
  }

  /** Reads the file once for its size, sha256 and MD5, then uploads it with the MD5 as Content-MD5. */
  private ArtifactFile single(String key, ArtifactSource source, ArtifactSource.Entry entry, String objectKey) {
    CheckedCopy.Copied read;
    try (InputStream in = source.open(entry.path())) {
      read = CheckedCopy.copy(in, null, entry.size());
    } catch (IOException e) {
      throw new ArtifactException(Reason.UNAVAILABLE, key + ": cannot read " + entry.path() + ": " + e.getMessage(), e);
    }
    if (read.size() != entry.size()) {
      throw new ArtifactException(Reason.SOURCE_CHANGED, key + ": " + entry.path() + " changed while it was stored");
    }
    var file = new ArtifactFile(entry.path(), read.size(), read.sha256());
    client.putObject(b -> b.bucket(bucket).key(objectKey).contentLength(file.size()).contentMD5(read.md5())
            .metadata(java.util.Map.of(SHA256_METADATA, file.sha256())),
        RequestBody.fromContentProvider(() -> reopen(source, entry.path()), file.size(), "application/octet-stream"));
    return file;
  }

  private void download(S3Location location, ArtifactFile file, ArtifactTarget target) throws IOException {
    String where = location.uri(file.path());
    ResponseInputStream<GetObjectResponse> in;
    try {
      in = client.getObject(b -> b.bucket(location.bucket()).key(location.objectKey(file.path())));
    } catch (SdkException e) {
      throw errors.of(e, file.path() + ": cannot download " + where);
    }
    try (in; OutputStream out = target.create(file.path())) {
      CheckedCopy.verified(in, out, file, where);
    } catch (SdkException e) {
      throw errors.of(e, file.path() + ": the download of " + where + " failed");
    }
  }

  private void deleteQuietly(String base, List<ArtifactFile> stored) {
    for (ArtifactFile file : stored) {
      try {
        client.deleteObject(b -> b.bucket(bucket).key(base + "/" + file.path()));
      } catch (SdkException e) {
        // the put's own error is the one to report
      }
    }
  }

  private static InputStream reopen(ArtifactSource source, String path) {
    try {
      return source.open(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

}
