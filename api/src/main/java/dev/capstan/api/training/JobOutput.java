package dev.capstan.api.training;

import java.util.Optional;

/** A validated {@code spec.output}: the model to register under and the path inside the output holding its files. */
public record JobOutput(String model, Optional<String> path) {}
