package dev.capstan.local.server;

import dev.capstan.local.OwnerOnly;
import dev.capstan.local.store.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The secret every local API request carries as {@code Authorization: Bearer <token>}. It lives
 * in {@code $CAPSTAN_HOME/token} with mode 0600, so only the home's owner (and root) can act on
 * the API. A token file that others could read, or that is a symbolic link, is not trusted: the
 * server replaces it with a fresh one and says so.
 */
final class ApiToken {
  private static final int RANDOM_BYTES = 32;
  private static final String SCHEME = "Bearer ";

  private final byte[] value;

  private ApiToken(String value) {
    this.value = value.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Reads the token file, or writes a new random token when it is missing, empty or exposed. */
  static ApiToken loadOrCreate(Path file) {
    try {
      String reason = untrusted(file);
      if (reason == null) {
        return new ApiToken(Files.readString(file, StandardCharsets.ISO_8859_1).strip());
      }
      if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        System.err.println("capstan: " + file + " " + reason + "; replaced it with a new token");
        Files.delete(file);
      }
      byte[] random = new byte[RANDOM_BYTES];
      new SecureRandom().nextBytes(random);
      String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      DurableFiles.write(file, (token + "\n").getBytes(StandardCharsets.US_ASCII));
      return new ApiToken(token);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the API token " + file + ": " + e, e);
    }
  }

  /** Why the file cannot serve as the token, or null when it can. */
  private static String untrusted(Path file) throws IOException {
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return "is missing";
    }
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return "is not a regular file";
    }
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
    if (!OwnerOnly.FILE.containsAll(mode)) {
      return "was readable or writable by other users (mode " + PosixFilePermissions.toString(mode) + ")";
    }
    if (Files.readString(file, StandardCharsets.ISO_8859_1).strip().length() < RANDOM_BYTES) {
      return "held no usable token";
    }
    return null;
  }

  /** Whether an {@code Authorization} header value carries this token; compares in constant time. */
  boolean accepts(String authorization) {
    if (authorization == null || authorization.length() < SCHEME.length()
        || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return false;
    }
    byte[] offered = authorization.substring(SCHEME.length()).strip().getBytes(StandardCharsets.ISO_8859_1);
    return MessageDigest.isEqual(value, offered);
  }
}
