package dev.capstan.bench.gateway;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * gRPC load from h2load (nghttp2), a process of its own: one HTTP/2 connection with N streams
 * outstanding, each a length-prefixed ModelInfer message; latency percentiles from its per-request
 * log. h2load reads only the HTTP status, not the gRPC status in the trailers, so the benchmark
 * checks one call of each path with a real gRPC client first.
 */
final class H2Load {
    private final Path body;

    H2Load() throws Exception {
        byte[] message = GrpcLoad.REQUEST.toByteArray();
        ByteBuffer framed = ByteBuffer.allocate(5 + message.length);
        framed.put((byte) 0).putInt(message.length).put(message);
        body = Files.createTempFile("infer", ".grpc");
        body.toFile().deleteOnExit();
        Files.write(body, framed.array());
    }

    Point run(int port, int concurrency, int seconds) throws Exception {
        Path log = Files.createTempFile("h2load", ".log");
        try {
            String out = Tools.run("h2load", "-c", "1", "-m", Integer.toString(concurrency), "-D", Integer.toString(seconds),
                    "--warm-up-time=1", "--log-file=" + log, "-d", body.toString(), "-H", "content-type: application/grpc",
                    "-H", "te: trailers", "http://127.0.0.1:" + port + "/inference.GRPCInferenceService/ModelInfer");
            Matcher rate = Pattern.compile("finished in [\\d.]+\\w+, ([\\d.]+) req/s").matcher(out);
            Matcher failed = Pattern.compile("(\\d+) failed, (\\d+) errored").matcher(out);
            if (!rate.find()) {
                throw new IllegalStateException("cannot read h2load output:\n" + out);
            }
            long errors = failed.find() ? Long.parseLong(failed.group(1)) + Long.parseLong(failed.group(2)) : 0;
            Latencies latencies = new Latencies();
            List<String> lines = Files.readAllLines(log);
            for (String line : lines) {
                String[] columns = line.split("\t");
                if (columns.length >= 3) {
                    latencies.add(Long.parseLong(columns[2].strip()) * 1000);
                }
            }
            return new Point(Double.parseDouble(rate.group(1)), latencies.percentileMicros(0.5),
                    latencies.percentileMicros(0.99), errors);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
