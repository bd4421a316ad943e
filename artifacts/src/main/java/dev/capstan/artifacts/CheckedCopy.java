package dev.capstan.artifacts;

import dev.capstan.core.registry.ArtifactException;
import dev.capstan.core.registry.ArtifactFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Copies a stream while counting and hashing its bytes (sha256), reading at most one byte past
 * what is expected, so a longer stream is noticed without reading all of it.
 */
public final class CheckedCopy {
  private static final int BUFFER = 1 << 16;

  private CheckedCopy() {}

  /**
   * What a copy saw: the bytes read (at most the limit plus one), their sha256 in lowercase hex
   * and their MD5 in base64 (the {@code Content-MD5} every S3-compatible server checks).
   */
  public record Copied(long size, String sha256, String md5) {}

  /** Copies up to {@code limit + 1} bytes of {@code in} into {@code out} (which may be null to only hash). */
  public static Copied copy(InputStream in, OutputStream out, long limit) throws IOException {
    MessageDigest digest = digest("SHA-256");
    MessageDigest md5 = digest("MD5");
    byte[] buffer = new byte[BUFFER];
    long total = 0;
    while (total <= limit) {
      int want = (int) Math.min(buffer.length, limit + 1 - total);
      int n = in.read(buffer, 0, want);
      if (n < 0) {
        break;
      }
      digest.update(buffer, 0, n);
      md5.update(buffer, 0, n);
      if (out != null) {
        out.write(buffer, 0, n);
      }
      total += n;
    }
    return new Copied(total, HexFormat.of().formatHex(digest.digest()), Base64.getEncoder().encodeToString(md5.digest()));
  }

  /**
   * Copies a stored file into {@code out} and throws when it is not what the manifest says:
   * {@code TRUNCATED} for another size, {@code CHECKSUM_MISMATCH} for other bytes. {@code where}
   * names the stored copy in the message.
   */
  public static void verified(InputStream in, OutputStream out, ArtifactFile file, String where) throws IOException {
    Copied copied = copy(in, out, file.size());
    if (copied.size() != file.size()) {
      throw new ArtifactException(ArtifactException.Reason.TRUNCATED, file.path() + ": " + where + " holds "
          + (copied.size() > file.size() ? "more than " + file.size() : String.valueOf(copied.size()))
          + " bytes, the manifest says " + file.size());
    }
    if (!copied.sha256().equals(file.sha256())) {
      throw new ArtifactException(ArtifactException.Reason.CHECKSUM_MISMATCH, file.path() + ": " + where
          + " has sha256 " + copied.sha256() + ", the manifest says " + file.sha256() + " (the stored copy was altered)");
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
