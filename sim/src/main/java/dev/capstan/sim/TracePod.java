package dev.capstan.sim;

import dev.capstan.core.placement.PodRequest;

/** A task of a trace: its name and what it asks for. */
public record TracePod(String name, PodRequest request) {}
