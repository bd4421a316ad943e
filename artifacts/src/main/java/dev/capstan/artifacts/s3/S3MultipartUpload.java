package dev.capstan.artifacts.s3;

import dev.capstan.core.registry.ArtifactException;
import dev.capstan.core.registry.ArtifactException.Reason;
import dev.capstan.core.registry.ArtifactFile;
import dev.capstan.core.registry.ArtifactSource;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * One large file as a multipart upload, read once: each part is sent with its own
 * {@code Content-MD5} (the server refuses other bytes) while the whole file's sha256 is computed;
 * any failure aborts the upload, so no partial object ever appears.
 */
final class S3MultipartUpload {
  /** S3's smallest part (all but the last) and its largest number of parts. */
  static final long MIN_PART_BYTES = 5L << 20;
  static final int MAX_PARTS = 10_000;

  private final S3Client client;
  private final String bucket;
  private final long partSize;

  S3MultipartUpload(S3Client client, String bucket, long partSize) {
    this.client = client;
    this.bucket = bucket;
    this.partSize = partSize;
  }

  long maxFileBytes() {
    return partSize * MAX_PARTS;
  }

  /** Uploads the entry's bytes to the object; the caller maps SDK errors. */
  ArtifactFile upload(String key, ArtifactSource source, ArtifactSource.Entry entry, String objectKey) {
    String uploadId = client.createMultipartUpload(b -> b.bucket(bucket).key(objectKey)).uploadId();
    try (InputStream in = source.open(entry.path())) {
      MessageDigest sha256 = digest("SHA-256");
      List<CompletedPart> parts = new ArrayList<>();
      byte[] buffer = new byte[(int) partSize];
      long total = 0;
      for (int number = 1; ; number++) {
        int n = in.readNBytes(buffer, 0, buffer.length);
        if (n == 0 && number > 1) {
          break;
        }
        total += n;
        if (total > entry.size()) {
          break;
        }
        sha256.update(buffer, 0, n);
        byte[] part = n == buffer.length ? buffer : Arrays.copyOf(buffer, n);
        String md5 = Base64.getEncoder().encodeToString(digest("MD5").digest(part));
        int partNumber = number;
        String eTag = client.uploadPart(b -> b.bucket(bucket).key(objectKey).uploadId(uploadId).partNumber(partNumber)
            .contentLength((long) n).contentMD5(md5), RequestBody.fromBytes(part)).eTag();
        parts.add(CompletedPart.builder().partNumber(partNumber).eTag(eTag).build());
        if (n < buffer.length) {
          break;
        }
      }
      if (total != entry.size()) {
        throw new ArtifactException(Reason.SOURCE_CHANGED, key + ": " + entry.path() + " changed while it was stored ("
            + entry.size() + " bytes when listed, " + (total > entry.size() ? "more" : total) + " when read)");
      }
      client.completeMultipartUpload(b -> b.bucket(bucket).key(objectKey).uploadId(uploadId)
          .multipartUpload(m -> m.parts(parts)));
      return new ArtifactFile(entry.path(), total, HexFormat.of().formatHex(sha256.digest()));
    } catch (IOException e) {
      abortQuietly(objectKey, uploadId);
      throw new ArtifactException(Reason.UNAVAILABLE, key + ": cannot read " + entry.path() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      abortQuietly(objectKey, uploadId);
      throw e;
    }
  }

  private void abortQuietly(String objectKey, String uploadId) {
    try {
      client.abortMultipartUpload(b -> b.bucket(bucket).key(objectKey).uploadId(uploadId));
    } catch (SdkException e) {
      // the upload's own error is the one to report; S3 expires abandoned uploads by lifecycle rule
    }
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no " + algorithm, e);
    }
  }
}
