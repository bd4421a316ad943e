package dev.capstan.bench.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The gateway's figures from one run, each against its baseline in the same run: cold start
 * (request at zero → first response, split into its steps), overhead (gateway vs the replica
 * directly, REST and gRPC), rollout under load (failed requests, p99 during vs before).
 * {@code GatewayBenchmark WORK_DIR SECONDS_PER_POINT [coldstart|overhead[-rest|-grpc]|rollout|local ...]}; local mode runs the
 * repository's {@code capstan} launcher (system property {@code capstan.root}).
 */
public final class GatewayBenchmark {
    private static final int COLD_STARTS_WITH_ARCHIVE = 3;

    private GatewayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int seconds = Integer.parseInt(args[1]);
        List<String> sections = args.length > 2 ? List.of(args).subList(2, args.length) : List.of("coldstart", "overhead", "rollout", "local");
        System.out.printf("capstan gateway benchmark: %d cores, load average %s%n", Runtime.getRuntime().availableProcessors(),
                loadAverage());
        for (String section : sections) {
            switch (section) {
                case "coldstart" -> ColdStart.run(work, COLD_STARTS_WITH_ARCHIVE);
                case "overhead" -> Overhead.run(work, seconds, true, true);
                case "overhead-rest" -> Overhead.run(work, seconds, true, false);
                case "overhead-grpc" -> Overhead.run(work, seconds, false, true);
                case "rollout" -> Rollout.run(work, seconds);
                case "local" -> LocalMode.run(work, Path.of(System.getProperty("capstan.root", ".")), seconds);
                default -> throw new IllegalArgumentException("unknown section " + section + " (coldstart, overhead, overhead-rest, overhead-grpc, rollout, local)");
            }
        }
        System.out.printf("%nload average at the end: %s%n", loadAverage());
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
