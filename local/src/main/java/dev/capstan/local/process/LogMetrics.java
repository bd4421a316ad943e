package dev.capstan.local.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Follows replica log files and keeps the latest value of each metric each one printed. */
final class LogMetrics {
  private record Cursor(long offset, Map<String, String> latest) {}

  private final Map<Path, Cursor> cursors = new HashMap<>();

  /** Reads what was appended since the last call and returns this file's latest metrics. */
  synchronized Map<String, String> latest(Path log) {
    Cursor cursor = cursors.getOrDefault(log, new Cursor(0, new LinkedHashMap<>()));
    if (!Files.exists(log)) {
      return cursor.latest();
    }
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long length = file.length();
      if (length < cursor.offset()) {
        cursor = new Cursor(0, new LinkedHashMap<>());
      }
      if (length > cursor.offset()) {
        byte[] bytes = new byte[(int) Math.min(length - cursor.offset(), 8 << 20)];
        file.seek(cursor.offset());
        file.readFully(bytes);
        int lastNewline = lastNewline(bytes);
        if (lastNewline >= 0) {
          String text = new String(bytes, 0, lastNewline + 1, StandardCharsets.UTF_8);
          Map<String, String> latest = new LinkedHashMap<>(cursor.latest());
          for (String line : text.split("\n")) {
            latest.putAll(MetricLines.parse(line));
          }
          cursor = new Cursor(cursor.offset() + lastNewline + 1, latest);
        }
      }
    } catch (IOException e) {
      return cursor.latest();
    }
    cursors.put(log, cursor);
    return cursor.latest();
  }

  synchronized void forget(Path log) {
    cursors.remove(log);
  }

  private static int lastNewline(byte[] bytes) {
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
