package dev.capstan.core.queue;

/**
 * Anything the queue admits as a whole: a training job, a trial, a pipeline step. {@code key}
 * identifies it ({@code kind namespace/name}); {@code request} is its whole gang's demand.
 */
public record Workload(String key, ResourceAmounts request) {}
