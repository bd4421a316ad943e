package dev.capstan.bench.gateway;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

/** A process's user + sys CPU time from /proc/PID/stat (clock ticks of 10 ms), whole or of some of its threads. */
final class ProcessCpu {
    private static final long NANOS_PER_TICK = 10_000_000L;

    private ProcessCpu() {
    }

    static long of(long pid) throws IOException {
        return ticks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))) * NANOS_PER_TICK;
    }

    /** This JVM's, where the embedded gateway runs. */
    static long self() throws IOException {
        return of(ProcessHandle.current().pid());
    }

    /** This JVM's threads whose name passes {@code name} (Linux keeps a thread name's first 15 characters). */
    static long selfThreads(Predicate<String> name) throws IOException {
        long ticks = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(ProcessHandle.current().pid()), "task"))) {
            for (Path task : tasks) {
                try {
                    if (name.test(Files.readString(task.resolve("comm")).strip())) {
                        ticks += ticks(Files.readString(task.resolve("stat")));
                    }
                } catch (IOException e) {
                    // the thread ended while being read
                }
            }
        }
        return ticks * NANOS_PER_TICK;
    }

    private static long ticks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
