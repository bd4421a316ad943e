package dev.capstan.local.registry;

import dev.capstan.api.registry.Lineage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The lineage record of one declared input: a local file's sha256; a local directory's sha256 of
 * its sorted {@code <sha256>  <path>} lines (regular files only, links not followed); for anything
 * else, or past the bounds, the URI with a note saying why it has no hash.
 */
final class InputDigests {
  /** Files hashed in one directory input; a larger dataset is recorded by URI only. */
  static final int MAX_FILES = 10_000;
  /** Bytes hashed for one input (16 GiB). */
  static final long MAX_BYTES = 16L << 30;

  private InputDigests() {}

  static Lineage.Input of(String uri) {
    Path path = localPath(uri);
    if (path == null) {
      return new Lineage.Input(uri, null, "not hashed: not a local file");
    }
    try {
      if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
        if (Files.size(path) > MAX_BYTES) {
          return new Lineage.Input(uri, null, "not hashed: larger than " + MAX_BYTES + " bytes");
        }
        return new Lineage.Input(uri, sha256(path), null);
      }
      if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        return directory(uri, path);
      }
      return new Lineage.Input(uri, null, "not hashed: missing when the job succeeded");
    } catch (IOException e) {
      return new Lineage.Input(uri, null, "not hashed: " + e.getMessage());
    }
  }

  private static Lineage.Input directory(String uri, Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).limit(MAX_FILES + 1L).sorted().toList();
    }
    if (files.size() > MAX_FILES) {
      return new Lineage.Input(uri, null, "not hashed: more than " + MAX_FILES + " files");
    }
    long bytes = 0;
    for (Path f : files) {
      bytes += Files.size(f);
    }
    if (bytes > MAX_BYTES) {
      return new Lineage.Input(uri, null, "not hashed: larger than " + MAX_BYTES + " bytes");
    }
    StringBuilder lines = new StringBuilder();
    for (Path f : files) {
      lines.append(sha256(f)).append("  ").append(dir.relativize(f).toString().replace('\\', '/')).append('\n');
    }
    return new Lineage.Input(uri, HexFormat.of().formatHex(digest().digest(lines.toString().getBytes(StandardCharsets.UTF_8))), null);
  }

  private static Path localPath(String uri) {
    if (uri.startsWith("/")) {
      return Path.of(uri);
    }
    if (uri.startsWith("file:")) {
      try {
        return Path.of(URI.create(uri));
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return null;
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest = digest();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), digest)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
