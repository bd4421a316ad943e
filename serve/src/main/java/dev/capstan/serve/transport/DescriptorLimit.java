package dev.capstan.serve.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The process's open-file limit and how many descriptors it holds, as Linux reports them
 * ({@code /proc/self/limits}, {@code /proc/self/fd}). HotSpot raises the soft limit to the hard one
 * at start unless run with {@code -XX:-MaxFDLimit}, so the soft limit read here is what the
 * server really has. Elsewhere both are unknown ({@link #UNKNOWN}).
 */
public record DescriptorLimit(long soft, long hard, long open) {
    public static final long UNKNOWN = -1;
    /** The most connections a derived cap allows, however high the limit. */
    public static final int MAX_DERIVED_CAP = 10_000;
    /** The fewest a derived cap allows, however low the limit. */
    public static final int MIN_DERIVED_CAP = 16;
    /** Descriptors a derived cap leaves for everything else: model files, downloads, logs, class loading. */
    public static final int MIN_HEADROOM = 64;

    public static DescriptorLimit current() {
        return read(Path.of("/proc/self/limits"), Path.of("/proc/self/fd"));
    }

    static DescriptorLimit read(Path limits, Path fds) {
        long soft = UNKNOWN;
        long hard = UNKNOWN;
        try {
            for (String line : Files.readAllLines(limits)) {
                if (line.startsWith("Max open files")) {
                    String[] fields = line.substring("Max open files".length()).trim().split("\\s+");
                    soft = number(fields[0]);
                    hard = number(fields[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return new DescriptorLimit(UNKNOWN, UNKNOWN, UNKNOWN);
        }
        long open;
        try (Stream<Path> entries = Files.list(fds)) {
            open = entries.count();
        } catch (IOException e) {
            open = UNKNOWN;
        }
        return new DescriptorLimit(soft, hard, open);
    }

    private static long number(String field) {
        return field.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(field);
    }

    public boolean known() {
        return soft != UNKNOWN && open != UNKNOWN;
    }

    /**
     * Connections the server can hold without running out of descriptors: what the soft limit leaves
     * free now, less a headroom of an eighth of that (at least {@value #MIN_HEADROOM}), between
     * {@value #MIN_DERIVED_CAP} and {@value #MAX_DERIVED_CAP}.
     */
    public int connectionCap() {
        if (!known()) {
            return MAX_DERIVED_CAP;
        }
        long free = soft - open;
        long headroom = Math.max(MIN_HEADROOM, free / 8);
        return (int) Math.max(MIN_DERIVED_CAP, Math.min(MAX_DERIVED_CAP, free - headroom));
    }

    @Override
    public String toString() {
        return known() ? "open-file limit " + text(soft) + " (hard " + text(hard) + "), " + open + " open" : "open-file limit unknown";
    }

    private static String text(long value) {
        return value == Long.MAX_VALUE ? "unlimited" : Long.toString(value);
    }
}
