package dev.capstan.bench.gateway;

import dev.capstan.gateway.Gateway;
import dev.capstan.gateway.GatewayConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The gateway's cost against calling the replica directly: the same load generator, the same
 * replica, interleaved rounds (direct, gateway, direct, …) so that a change in the machine's load
 * hits both paths alike; each figure is the median of the rounds. CPU per request is taken for
 * the replica's process, the gateway's (the benchmark's JVM: its JIT and collector included) and
 * the gateway's event loops alone, which is the gateway's own work per request.
 */
final class Overhead {
    private static final int ROUNDS = 3;
    private static final int WARM_UP_ROUNDS = 4;

    /** A load generator pointed at a port. */
    private interface Generator {
        Point run(int port, int concurrency, int seconds) throws Exception;
    }

    private Overhead() {
    }

    /** Both protocols' rows, or only REST's or only gRPC's ({@code rest}, {@code grpc} false skips that one). */
    static void run(Path work, int seconds, boolean rest, boolean grpc) throws Exception {
        System.out.printf("%n== gateway overhead: one replica of the small MLP, direct vs through the gateway, %d s per point,"
                + " median of %d interleaved rounds ==%n", seconds, ROUNDS);
        System.out.printf("%-18s %10s %10s %7s %9s %9s %8s %9s %9s %9s %9s %9s %6s%n", "path", "direct/s", "gateway/s", "ratio",
                "d p50 us", "g p50 us", "+p50 us", "d p99 us", "g p99 us", "rep CPU", "gw CPU", "gw loops", "errors");
        BenchFeedback feedback = new BenchFeedback();
        try (ReplicaProcess replica = ReplicaProcess.spawn("mlp-a", work.resolve("v1"), null).awaitReady();
             Gateway gateway = Gateway.start(GatewayConfig.loopback(), feedback)) {
            gateway.update(Routes.all(Routes.FIRST, List.of(replica.endpoint())));
            Generator grpcJava = GrpcLoad::run;
            Wrk wrk = rest && Tools.installed("wrk") ? new Wrk(work.resolve("request-784.json")) : null;
            H2Load h2load = Tools.installed("h2load") ? new H2Load() : null;
            Generator grpcLoad = h2load != null ? h2load::run : grpcJava;
            warmUp(replica, gateway, wrk, grpc ? grpcLoad : null);
            if (!rest) {
                System.out.println("(REST rows not asked for)");
            } else if (wrk == null) {
                Tools.skip("REST rows", "wrk", "wrk");
            } else {
                row("REST c=1", wrk::run, replica, replica.restPort(), gateway.restPort(), 1, seconds);
                row("REST c=32", wrk::run, replica, replica.restPort(), gateway.restPort(), 32, seconds);
            }
            if (!grpc) {
                return;
            }
            GrpcLoad.check(replica.grpcPort());
            GrpcLoad.check(gateway.grpcPort());
            if (h2load != null) {
                row("gRPC c=1", h2load::run, replica, replica.grpcPort(), gateway.grpcPort(), 1, seconds);
                row("gRPC c=32", h2load::run, replica, replica.grpcPort(), gateway.grpcPort(), 32, seconds);
            } else {
                Tools.skip("gRPC rows from h2load; the grpc-java client below runs inside the gateway's JVM", "h2load",
                        "nghttp2-client");
                row("gRPC c=1 grpc-java", grpcJava, replica, replica.grpcPort(), gateway.grpcPort(), 1, seconds);
                row("gRPC c=32 grpc-java", grpcJava, replica, replica.grpcPort(), gateway.grpcPort(), 32, seconds);
            }
        }
    }

    /**
     * Lets both JITs (replica and gateway) compile the REST and gRPC paths, with the load generators
     * that measure them, before anything is measured: on a loaded machine C2 takes tens of seconds
     * to settle, and CPU it spends compiling would count as the gateway's per request.
     */
    private static void warmUp(ReplicaProcess replica, Gateway gateway, Wrk wrk, Generator grpc) throws Exception {
        for (int round = 0; round < WARM_UP_ROUNDS; round++) {
            if (wrk != null) {
                wrk.run(replica.restPort(), 16, 3);
                wrk.run(gateway.restPort(), 16, 3);
            }
            if (grpc != null) {
                grpc.run(replica.grpcPort(), 16, 3);
                grpc.run(gateway.grpcPort(), 16, 3);
            }
        }
    }

    /**
     * One row: the median of interleaved rounds for each path, and the CPU each process spent per
     * request through the gateway (the replica's, and this JVM's, where the gateway runs), which on
     * a machine short of CPU is what the throughput ratio follows.
     */
    private static void row(String path, Generator generator, ReplicaProcess replica, int directPort, int gatewayPort,
                            int concurrency, int seconds) throws Exception {
        List<Point> direct = new ArrayList<>();
        List<Point> viaGateway = new ArrayList<>();
        long replicaCpu = 0;
        long gatewayCpu = 0;
        long gatewayLoopCpu = 0;
        double gatewayRequests = 0;
        for (int round = 0; round < ROUNDS; round++) {
            direct.add(generator.run(directPort, concurrency, seconds));
            long replicaBefore = replica.cpuNanos();
            long gatewayBefore = ProcessCpu.self();
            long loopsBefore = ProcessCpu.selfThreads(Overhead::eventLoop);
            Point g = generator.run(gatewayPort, concurrency, seconds);
            replicaCpu += replica.cpuNanos() - replicaBefore;
            gatewayCpu += ProcessCpu.self() - gatewayBefore;
            gatewayLoopCpu += ProcessCpu.selfThreads(Overhead::eventLoop) - loopsBefore;
            gatewayRequests += g.requestsPerSecond() * seconds;
            viaGateway.add(g);
        }
        Point d = median(direct);
        Point g = median(viaGateway);
        long errors = direct.stream().mapToLong(Point::errors).sum() + viaGateway.stream().mapToLong(Point::errors).sum();
        System.out.printf(Locale.ROOT, "%-18s %10.0f %10.0f %6.2fx %9.1f %9.1f %8.1f %9.1f %9.1f %9.1f %9.1f %9.1f %6d%n", path,
                d.requestsPerSecond(), g.requestsPerSecond(), g.requestsPerSecond() / d.requestsPerSecond(),
                d.p50Micros(), g.p50Micros(), g.p50Micros() - d.p50Micros(), d.p99Micros(), g.p99Micros(),
                replicaCpu / gatewayRequests / 1000, gatewayCpu / gatewayRequests / 1000, gatewayLoopCpu / gatewayRequests / 1000, errors);
    }

    /** The gateway's event loops (serve's {@code NettyTransport} names them), where all of its per-request work runs. */
    private static boolean eventLoop(String thread) {
        return thread.startsWith("capstan-io-");
    }

    /** Each figure's median over the rounds, taken separately. */
    private static Point median(List<Point> points) {
        return new Point(median(points, Point::requestsPerSecond), median(points, Point::p50Micros),
                median(points, Point::p99Micros), 0);
    }

    private static double median(List<Point> points, java.util.function.ToDoubleFunction<Point> figure) {
        List<Double> values = points.stream().map(figure::applyAsDouble).sorted(Comparator.naturalOrder()).toList();
        return values.get(values.size() / 2);
    }
}
