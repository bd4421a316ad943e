package dev.capstan.bench.gateway;

import dev.capstan.serve.ServeMain;

/**
 * The model server's main, after one line with the moment the JVM reached it
 * ({@code bench-main NANOS}, System.nanoTime: CLOCK_MONOTONIC, the same clock in every process on
 * the machine), so that a cold start splits into process start and model load.
 */
public final class TimedServe {
    static final String MAIN_LINE = "bench-main ";

    private TimedServe() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println(MAIN_LINE + System.nanoTime());
        System.out.flush();
        ServeMain.main(args);
    }
}
