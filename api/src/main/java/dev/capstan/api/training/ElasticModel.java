package dev.capstan.api.training;

import java.util.List;
import java.util.Optional;

/** Validated PyTorch elastic settings. */
public record ElasticModel(
    int minReplicas,
    int maxReplicas,
    String rdzvBackend,
    Optional<String> rdzvHost,
    Optional<Integer> rdzvPort,
    Optional<String> rdzvId,
    List<String> rdzvConf,
    Optional<Integer> maxRestarts,
    boolean standalone) {}
