package dev.capstan.bench.gateway;

/** One measured point of a load generator: throughput and latency percentiles as it saw them. */
record Point(double requestsPerSecond, double p50Micros, double p99Micros, long errors) {
}
