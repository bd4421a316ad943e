package dev.capstan.sim;

/** One job of a queueing trace: it arrives {@code arrival} seconds after the trace's first job and needs {@code gpus} GPUs for {@code duration} seconds. */
public record TraceJob(int id, long arrival, long duration, int gpus) {}
