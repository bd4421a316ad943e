package dev.capstan.sim;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A job list in the Philly-derived format of the Pollux artifact: columns {@code timestamp}
 * ({@code yyyy-MM-dd HH:mm:ss}), {@code duration} (seconds, a whole number, {@code 66.0} accepted)
 * and {@code num_gpus}; others ({@code gpu_time}, {@code cluster}) are ignored. Jobs come back in
 * arrival order (file order among equal times), arrivals counted from the first.
 */
public final class PhillyTraceCsv {
  static final int MAX_JOBS = 2_000_000;
  /** One year. */
  static final long MAX_DURATION = 366L * 24 * 3600;
  static final int MAX_GPUS = 4096;
  private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private PhillyTraceCsv() {}

  public static List<TraceJob> read(Path file) throws IOException, TraceFormatException {
    CsvTable table = CsvTable.read(file, MAX_JOBS);
    int timestamp = table.column("timestamp");
    int duration = table.column("duration");
    int gpus = table.column("num_gpus");
    record Row(long epoch, long duration, int gpus) {}
    List<Row> rows = new ArrayList<>();
    for (CsvTable.Row row : table.rows()) {
      rows.add(new Row(epoch(table, row, timestamp), seconds(table, row, duration),
          (int) table.number(row, gpus, "num_gpus", 1, MAX_GPUS)));
    }
    if (rows.isEmpty()) {
      throw new TraceFormatException(file, 0, "lists no jobs");
    }
    List<Row> byArrival = rows.stream().sorted(Comparator.comparingLong(Row::epoch)).toList();
    long first = byArrival.getFirst().epoch();
    List<TraceJob> jobs = new ArrayList<>(byArrival.size());
    for (Row r : byArrival) {
      jobs.add(new TraceJob(jobs.size(), r.epoch() - first, r.duration(), r.gpus()));
    }
    return jobs;
  }

  private static long epoch(CsvTable table, CsvTable.Row row, int column) throws TraceFormatException {
    String text = table.text(row, column);
    try {
      return LocalDateTime.parse(text, TIMESTAMP).toEpochSecond(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw table.error(row, "timestamp '" + CsvTable.abbreviate(text) + "' is not yyyy-MM-dd HH:mm:ss");
    }
  }

  private static long seconds(CsvTable table, CsvTable.Row row, int column) throws TraceFormatException {
    String text = table.text(row, column);
    double value;
    try {
      value = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw table.error(row, "duration '" + CsvTable.abbreviate(text) + "' is not a number of seconds");
    }
    if (!(value >= 1 && value <= MAX_DURATION) || value != Math.rint(value)) {
      throw table.error(row, "duration " + CsvTable.abbreviate(text) + " must be a whole number of seconds in 1.." + MAX_DURATION);
    }
    return (long) value;
  }
}
