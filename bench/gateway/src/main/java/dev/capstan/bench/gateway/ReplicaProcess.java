package dev.capstan.bench.gateway;

import dev.capstan.core.serving.ReplicaEndpoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One model-server replica as local mode starts one: its own JVM with the serial collector, small
 * thread stacks, offline DJL and (when given) a class-data-sharing archive that the first start
 * creates; listening on 127.0.0.1, serving the model as {@code mlp}. Every step of its start is
 * timed on the machine's monotonic clock: spawn, main reached, ready line printed, first 200 from
 * {@code /v2/health/ready} (polled every 20 ms, as local mode's probe does).
 */
final class ReplicaProcess implements AutoCloseable {
    static final String SERVICE = "mlp";
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(20);
    private static final Duration START_DEADLINE = Duration.ofSeconds(120);
    private static final HttpClient PROBE = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    final long spawnNanos;
    private volatile long mainNanos = -1;
    private volatile long readyLineNanos = -1;
    private volatile int restPort;
    private volatile int grpcPort;
    private long probeOkNanos = -1;

    private ReplicaProcess(String name, Process process, long spawnNanos) {
        this.name = name;
        this.process = process;
        this.spawnNanos = spawnNanos;
    }

    /** Starts a replica and returns at once; {@link #awaitReady} waits for it. */
    static ReplicaProcess spawn(String name, Path modelDir, Path cdsArchive) throws IOException {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xss512k", "-Dai.djl.offline=true"));
        if (cdsArchive != null) {
            argv.addAll(List.of("-XX:SharedArchiveFile=" + cdsArchive, "-XX:+AutoCreateSharedArchive", "-Xlog:cds=off",
                    "-Xlog:cds+dynamic=off"));
        }
        argv.addAll(List.of("-cp", System.getProperty("java.class.path"), TimedServe.class.getName(),
                "--model-dir", modelDir.toString(), "--name", SERVICE, "--host", "127.0.0.1", "--port", "0", "--grpc-port", "0"));
        ProcessBuilder builder = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("OPT_OUT_TRACKING", "true");
        long spawn = System.nanoTime();
        ReplicaProcess replica = new ReplicaProcess(name, builder.start(), spawn);
        Thread.ofPlatform().daemon().name("replica-out-" + name).start(replica::readOutput);
        return replica;
    }

    private void readOutput() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(TimedServe.MAIN_LINE)) {
                    mainNanos = Long.parseLong(line.substring(TimedServe.MAIN_LINE.length()).strip());
                } else if (line.startsWith("capstan-serve ready")) {
                    restPort = Integer.parseInt(line.replaceAll(".*rest=(\\d+).*", "$1"));
                    grpcPort = Integer.parseInt(line.replaceAll(".*grpc=(\\d+).*", "$1"));
                    readyLineNanos = System.nanoTime();
                }
            }
        } catch (IOException e) {
            // the process went away; awaitReady reports it
        }
    }

    /**
     * Polls {@code /v2/health/ready} every 20 ms from the moment the ports are known until it
     * answers 200, as local mode's readiness probe does.
     */
    ReplicaProcess awaitReady() throws Exception {
        long deadline = spawnNanos + START_DEADLINE.toNanos();
        while (readyLineNanos < 0) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("replica " + name + " did not start (exit " + exitCode() + ")");
            }
            Thread.sleep(1);
        }
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + "/v2/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        while (true) {
            try {
                if (PROBE.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    probeOkNanos = System.nanoTime();
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("replica " + name + " never became ready");
            }
            Thread.sleep(PROBE_INTERVAL);
        }
    }

    ReplicaEndpoint endpoint() {
        return new ReplicaEndpoint(name, "127.0.0.1", restPort, grpcPort);
    }

    int restPort() {
        return restPort;
    }

    int grpcPort() {
        return grpcPort;
    }

    long mainNanos() {
        return mainNanos;
    }

    long readyLineNanos() {
        return readyLineNanos;
    }

    long probeOkNanos() {
        return probeOkNanos;
    }

    /** user + sys CPU time of the replica so far, from /proc (clock ticks of 10 ms). */
    long cpuNanos() throws IOException {
        return ProcessCpu.of(process.pid());
    }

    /** SIGTERM: the server drains (finishes what it holds, refuses new work) and exits. */
    boolean drain(Duration within) throws InterruptedException {
        process.destroy();
        return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    private String exitCode() {
        return process.isAlive() ? "none yet" : Integer.toString(process.exitValue());
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive() && !drain(Duration.ofSeconds(30))) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
