package dev.capstan.local.serving;

import java.util.Objects;

/**
 * What the local control plane needs from its host program to run InferenceServices: how to start
 * a {@code capstan serve} replica, how to fetch a model, and the gateway.
 */
public record ServingSetup(ServeLaunch launch, ModelFetch fetch, GatewayHost gateway) {
  public ServingSetup {
    Objects.requireNonNull(launch, "launch");
    Objects.requireNonNull(fetch, "fetch");
    Objects.requireNonNull(gateway, "gateway");
  }
}
