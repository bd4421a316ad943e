package dev.capstan.bench.serve;

import dev.capstan.serve.batch.BatchObserver;
import dev.capstan.serve.engine.Engine;
import dev.capstan.serve.engine.EngineOptions;
import dev.capstan.serve.engine.Engines;
import dev.capstan.serve.engine.NativeStack;
import dev.capstan.serve.engine.onnx.OnnxEngine;
import dev.capstan.serve.model.LoadedModel;
import dev.capstan.serve.model.ModelLoader;
import dev.capstan.serve.tensor.Tensor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Side-by-side figures from one run: the in-process engine (batch 1), the in-process batcher, REST
 * (wrk) and gRPC (grpc-java, raw contents) at concurrency 1, 16 and 64, for a small and a large
 * MLP. Ratios are to the in-process batcher at the same concurrency; "+p50" is over the engine's
 * batch-1 p50; "CPU/req" is the process's user+sys per request (the server's, for REST and gRPC);
 * "proto CPU/req" is the server's minus the in-process batcher's at the same concurrency.
 */
public final class ServeBenchmark {
    private static final int[] CONCURRENCY = {1, 16, 64};

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int seconds = Integer.parseInt(args[1]);
        List<String> models = args.length > 2 ? List.of(args).subList(2, args.length) : List.of("small", "large");
        for (String model : models) {
            run(work, model, seconds);
        }
    }

    private static void run(Path work, String model, int seconds) throws Exception {
        Path dir = work.resolve(model);
        System.out.printf("%n== %s MLP (%s), %d s per point, %d cores ==%n", model, dir, seconds, Runtime.getRuntime().availableProcessors());
        System.out.printf("%-22s %10s %10s %10s %8s %10s %14s %14s%n", "path", "req/s", "p50 us", "p99 us", "ratio", "+p50 us", "CPU/req us", "proto CPU/req");
        Result engine = NativeStack.call(() -> engineBatch1(dir, seconds));
        print("engine batch 1", engine, null, engine);
        List<Result> batcher = new ArrayList<>();
        for (int c : CONCURRENCY) {
            Result r = batcher(dir, c, seconds);
            batcher.add(r);
            print("batcher c=" + c, r, null, engine);
        }
        try (ServerProcess server = ServerProcess.start(dir)) {
            Load.warmUp(server, model, work.resolve("request-784.json"));
            for (int i = 0; i < CONCURRENCY.length; i++) {
                long cpu = server.cpuNanos();
                Result r = Load.rest(server.restPort(), model, work.resolve("request-784.json"), CONCURRENCY[i], seconds);
                print("REST c=" + CONCURRENCY[i], r.withServerCpu(server.cpuNanos() - cpu), batcher.get(i), engine);
            }
            for (int i = 0; i < CONCURRENCY.length; i++) {
                long cpu = server.cpuNanos();
                Result r = Load.grpc(server.grpcPort(), model, CONCURRENCY[i], seconds);
                print("gRPC c=" + CONCURRENCY[i], r.withServerCpu(server.cpuNanos() - cpu), batcher.get(i), engine);
            }
        }
    }

    /** Prints one row; ratios and added latency against {@code base} (the batcher at the same concurrency) and {@code engine}. */
    private static void print(String path, Result r, Result base, Result engine) {
        String ratio = base == null ? "" : String.format(Locale.ROOT, "%.2fx", r.throughput() / base.throughput());
        String added = base == null ? "" : String.format(Locale.ROOT, "%.0f", r.p50Micros() - engine.p50Micros());
        String own = String.format(Locale.ROOT, "%.1f", (r.serverCpuNanos() >= 0 ? r.serverCpuNanos() / (double) r.requests() : r.cpuPerRequestNanos()) / 1000.0);
        String cpu = r.serverCpuNanos() < 0 ? "" : String.format(Locale.ROOT, "%.1f",
                (r.serverCpuNanos() / (double) r.requests() - (base != null ? base : engine).cpuPerRequestNanos()) / 1000.0);
        System.out.printf(Locale.ROOT, "%-22s %10.0f %10.1f %10.1f %8s %10s %14s %14s%n", path, r.throughput(), r.p50Micros(), r.p99Micros(), ratio, added, own, cpu);
    }

    static Tensor input() {
        float[] values = new float[784];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((i * 7919) % 1000) / 1000f;
        }
        return Tensor.ofFloats("input", new long[] {1, 784}, values);
    }

    private static Result engineBatch1(Path dir, int seconds) throws Exception {
        try (Engine engine = OnnxEngine.open(dir.resolve("model.onnx"), EngineOptions.defaults())) {
            List<Tensor> inputs = List.of(input());
            for (int i = 0; i < 2000; i++) {
                engine.infer(inputs);
            }
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            Latencies latencies = new Latencies();
            long cpu = os.getProcessCpuTime();
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < end) {
                long t = System.nanoTime();
                engine.infer(inputs);
                latencies.add(System.nanoTime() - t);
            }
            long elapsed = System.nanoTime() - start;
            Result r = latencies.result(elapsed);
            return r.withEngineCpu((os.getProcessCpuTime() - cpu) / (double) r.requests());
        }
    }

    private static Result batcher(Path dir, int concurrency, int seconds) throws Exception {
        ModelLoader loader = new ModelLoader(Engines.discover(), name -> BatchObserver.NONE);
        try (LoadedModel model = loader.load(dir, null)) {
            drive(model, concurrency, 1);
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu = os.getProcessCpuTime();
            Result r = drive(model, concurrency, seconds);
            return r.withEngineCpu((os.getProcessCpuTime() - cpu) / (double) r.requests());
        }
    }

    private static Result drive(LoadedModel model, int concurrency, int seconds) throws Exception {
        List<Tensor> inputs = List.of(input());
        Latencies latencies = new Latencies();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        CountDownLatch done = new CountDownLatch(concurrency);
        for (int c = 0; c < concurrency; c++) {
            Thread.ofVirtual().start(() -> {
                try {
                    while (System.nanoTime() < end) {
                        long t = System.nanoTime();
                        model.batcher().submit(inputs, Set.of()).get();
                        latencies.add(System.nanoTime() - t);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        return latencies.result(System.nanoTime() - start);
    }

    /** The server under test, a separate process so that its CPU time can be read from /proc. */
    static final class ServerProcess implements AutoCloseable {
        private final Process process;
        private final int restPort;
        private final int grpcPort;

        private ServerProcess(Process process, int restPort, int grpcPort) {
            this.process = process;
            this.restPort = restPort;
            this.grpcPort = grpcPort;
        }

        static ServerProcess start(Path dir) throws Exception {
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), "dev.capstan.serve.ServeMain",
                    "--model-dir", dir.toString(), "--host", "127.0.0.1", "--port", "0", "--grpc-port", "0")
                    .redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream()));
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("capstan-serve ready")) {
                    int rest = Integer.parseInt(line.replaceAll(".*rest=(\\d+).*", "$1"));
                    int grpc = Integer.parseInt(line.replaceAll(".*grpc=(\\d+).*", "$1"));
                    Thread.ofVirtual().start(() -> out.lines().forEach(l -> { }));
                    return new ServerProcess(process, rest, grpc);
                }
            }
            throw new IllegalStateException("server exited before it was ready");
        }

        int restPort() {
            return restPort;
        }

        int grpcPort() {
            return grpcPort;
        }

        /** user + sys CPU time of the server process, from /proc (clock ticks of 10 ms). */
        long cpuNanos() throws Exception {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            process.waitFor(60, TimeUnit.SECONDS);
        }
    }
}
