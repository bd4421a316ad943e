package dev.capstan.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A comma-separated file with a header row, read with bounds: at most {@code maxRows} rows and
 * {@link #MAX_LINE} characters a line. Fields are plain (the trace files quote nothing). Columns are
 * found by name, so their order and extra columns do not matter.
 */
final class CsvTable {
  static final int MAX_LINE = 4096;

  private final Path file;
  private final Map<String, Integer> columns;
  private final List<Row> rows;

  /** One data row and its line number in the file. */
  record Row(int line, String[] fields) {}

  private CsvTable(Path file, Map<String, Integer> columns, List<Row> rows) {
    this.file = file;
    this.columns = columns;
    this.rows = rows;
  }

  static CsvTable read(Path file, int maxRows) throws IOException, TraceFormatException {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String header = readLine(in, file, 1);
      if (header == null) {
        throw new TraceFormatException(file, 0, "the file is empty; expected a header row");
      }
      Map<String, Integer> columns = new HashMap<>();
      String[] names = header.strip().split(",", -1);
      for (int i = 0; i < names.length; i++) {
        columns.putIfAbsent(names[i].strip(), i);
      }
      List<Row> rows = new ArrayList<>();
      int line = 1;
      String text;
      while ((text = readLine(in, file, line + 1)) != null) {
        line++;
        if (text.isBlank()) {
          continue;
        }
        if (rows.size() == maxRows) {
          throw new TraceFormatException(file, line, "more than " + maxRows + " rows");
        }
        rows.add(new Row(line, text.strip().split(",", -1)));
      }
      return new CsvTable(file, columns, rows);
    }
  }

  private static String readLine(BufferedReader in, Path file, int line) throws IOException, TraceFormatException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      if (sb.length() == MAX_LINE) {
        throw new TraceFormatException(file, line, "line longer than " + MAX_LINE + " characters");
      }
      sb.append((char) c);
    }
    if (c == -1 && sb.isEmpty()) {
      return null;
    }
    return sb.toString();
  }

  List<Row> rows() {
    return rows;
  }

  /** The index of a column that must be present. */
  int column(String name) throws TraceFormatException {
    Integer i = columns.get(name);
    if (i == null) {
      throw new TraceFormatException(file, 1, "no column '" + name + "' in the header");
    }
    return i;
  }

  /** The index of a column that may be absent, or -1. */
  int optionalColumn(String name) {
    return columns.getOrDefault(name, -1);
  }

  String text(Row row, int column) throws TraceFormatException {
    if (column >= row.fields().length) {
      throw new TraceFormatException(file, row.line(), "has " + row.fields().length + " fields, fewer than the header");
    }
    return row.fields()[column].strip();
  }

  /** A name field: 1 to {@link TraceLimits#MAX_NAME} characters. */
  String name(Row row, int column, String field) throws TraceFormatException {
    String name = text(row, column);
    if (name.isEmpty() || name.length() > TraceLimits.MAX_NAME) {
      throw error(row, field + " must be 1.." + TraceLimits.MAX_NAME + " characters");
    }
    return name;
  }

  /** An integer field within {@code [min, max]}; the error names the column and the bounds. */
  long number(Row row, int column, String name, long min, long max) throws TraceFormatException {
    String text = text(row, column);
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new TraceFormatException(file, row.line(), name + " '" + abbreviate(text) + "' is not an integer");
    }
    if (value < min || value > max) {
      throw new TraceFormatException(file, row.line(), name + " " + value + " is outside " + min + ".." + max);
    }
    return value;
  }

  TraceFormatException error(Row row, String reason) {
    return new TraceFormatException(file, row.line(), reason);
  }

  static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "…";
  }
}
