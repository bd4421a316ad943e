package dev.capstan.local.serving;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/** The last non-blank line of a replica's log (read from its last 4 KiB, cut to 300 characters). */
final class LastLogLine {
  private static final int TAIL_BYTES = 4096;
  private static final int MAX_CHARS = 300;

  private LastLogLine() {}

  static Optional<String> of(Path log) {
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long length = file.length();
      int n = (int) Math.min(length, TAIL_BYTES);
      byte[] tail = new byte[n];
      file.seek(length - n);
      file.readFully(tail);
      String[] lines = new String(tail, StandardCharsets.UTF_8).split("\n");
      for (int i = lines.length - 1; i >= 0; i--) {
        String line = lines[i].strip();
        if (!line.isEmpty()) {
          return Optional.of(line.length() > MAX_CHARS ? line.substring(0, MAX_CHARS) + "…" : line);
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
