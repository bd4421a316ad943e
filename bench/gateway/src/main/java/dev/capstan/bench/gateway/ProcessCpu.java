package dev.capstan.bench.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's user + sys CPU time from /proc/PID/stat (clock ticks of 10 ms). */
final class ProcessCpu {
    private static final long NANOS_PER_TICK = 10_000_000L;

    private ProcessCpu() {
    }

    static long of(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
    }

    /** This JVM's, where the embedded gateway runs. */
    static long self() throws IOException {
        return of(ProcessHandle.current().pid());
    }
}
