package dev.capstan.bench.serve;

/** One measured point: requests answered, elapsed time, latency percentiles and CPU figures (-1: not measured). */
record Result(long requests, long elapsedNanos, double p50Micros, double p99Micros, long serverCpuNanos, double cpuPerRequestNanos) {
    double throughput() {
        return requests / (elapsedNanos / 1e9);
    }

    Result withServerCpu(long nanos) {
        return new Result(requests, elapsedNanos, p50Micros, p99Micros, nanos, cpuPerRequestNanos);
    }

    Result withEngineCpu(double perRequest) {
        return new Result(requests, elapsedNanos, p50Micros, p99Micros, serverCpuNanos, perRequest);
    }
}
