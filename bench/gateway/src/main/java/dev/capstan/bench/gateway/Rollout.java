package dev.capstan.bench.gateway;

import dev.capstan.gateway.Gateway;
import dev.capstan.gateway.GatewayConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A new model rolled out under REST load at concurrency 16, in the order a control plane does it:
 * start the new revision's replica and probe it ready, send it 20 % (canary), promote it to 100 %,
 * then drain the old replica (SIGTERM: it finishes what it holds). Failed requests over the whole
 * run, and p99 while the rollout is under way against p99 before it.
 */
final class Rollout {
    static final int CONCURRENCY = 16;
    private static final Duration CANARY = Duration.ofSeconds(2);

    private Rollout() {
    }

    static void run(Path work, int seconds) throws Exception {
        System.out.printf("%n== rollout under load: REST at concurrency %d through the gateway, v1 -> 20 %% canary -> v2 ==%n",
                CONCURRENCY);
        byte[] body = Files.readAllBytes(work.resolve("request-784.json"));
        Path archive = work.resolve("cds/serve.jsa");
        Files.createDirectories(archive.getParent());
        try (ReplicaProcess first = ReplicaProcess.spawn("mlp-v1", work.resolve("v1"), archive).awaitReady();
             Gateway gateway = Gateway.start(GatewayConfig.loopback(), new BenchFeedback())) {
            gateway.update(Routes.all(Routes.FIRST, List.of(first.endpoint())));
            long steadyFrom;
            long steadyTo;
            long rolloutFrom;
            long rolloutTo;
            try (HttpLoad load = HttpLoad.start("http://127.0.0.1:" + gateway.restPort(), body, CONCURRENCY)) {
                Thread.sleep(3000);
                steadyFrom = System.nanoTime();
                Thread.sleep(seconds * 1000L);
                steadyTo = System.nanoTime();
                rolloutFrom = steadyTo;
                try (ReplicaProcess second = ReplicaProcess.spawn("mlp-v2", work.resolve("v2"), archive).awaitReady()) {
                    gateway.update(Routes.split(List.of(first.endpoint()), List.of(second.endpoint()), 20));
                    Thread.sleep(CANARY.toMillis());
                    gateway.update(Routes.all(Routes.SECOND, List.of(second.endpoint())));
                    if (!first.drain(Duration.ofSeconds(60))) {
                        System.out.println("  the old replica did not exit within 60 s of SIGTERM");
                    }
                    rolloutTo = System.nanoTime();
                    Thread.sleep(seconds * 1000L);
                    print(load, new long[] {steadyFrom, steadyTo, rolloutFrom, rolloutTo, System.nanoTime()});
                }
            }
        }
    }

    /** Phases: steady before, the rollout, steady after; the bounds are {before, rollout start, rollout end, after end}. */
    static void print(HttpLoad load, long[] t) {
        System.out.printf("%-14s %8s %9s %7s %9s %9s %9s%n", "phase", "seconds", "requests", "failed", "req/s", "p50 us", "p99 us");
        phase("steady before", load.between(t[0], t[1]), t[0], t[1]);
        double[] rollout = phase("rollout", load.between(t[2], t[3]), t[2], t[3]);
        phase("steady after", load.between(t[3], t[4]), t[3], t[4]);
        List<HttpLoad.Sample> steady = new ArrayList<>(load.between(t[0], t[1]));
        steady.addAll(load.between(t[3], t[4]));
        double steadyP99 = percentile(steady.stream().mapToLong(HttpLoad.Sample::latencyNanos).sorted().toArray(), 0.99);
        List<HttpLoad.Sample> all = load.between(0, Long.MAX_VALUE);
        long failed = all.stream().filter(s -> s.failure() != null).count();
        System.out.printf(Locale.ROOT, "failed requests over the whole run: %d of %d%s; p99 during the rollout = %.2fx steady"
                + " (before and after together)%n", failed, all.size(), failed == 0 ? "" : " " + load.failures(),
                rollout[1] / steadyP99);
    }

    /** Prints one phase's row; returns its p50 and p99 in microseconds. */
    private static double[] phase(String name, List<HttpLoad.Sample> samples, long from, long to) {
        long[] latencies = samples.stream().mapToLong(HttpLoad.Sample::latencyNanos).sorted().toArray();
        long failed = samples.stream().filter(s -> s.failure() != null).count();
        double seconds = (to - from) / 1e9;
        double p50 = percentile(latencies, 0.5);
        double p99 = percentile(latencies, 0.99);
        System.out.printf(Locale.ROOT, "%-14s %8.1f %9d %7d %9.0f %9.0f %9.0f%n", name, seconds, samples.size(), failed,
                samples.size() / seconds, p50, p99);
        return new double[] {p50, p99};
    }

    private static double percentile(long[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1000.0;
    }
}
