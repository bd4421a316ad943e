package dev.capstan.local.serving;

import java.util.Objects;

/**
 * What the local control plane needs from its host program to run InferenceServices: how to start
 * a {@code capstan serve} replica, how to fetch a model, the gateway, and how many warm standbys
 * to keep (0 for none; see {@link ServingReplicas#startFromStandby}).
 */
public record ServingSetup(ServeLaunch launch, ModelFetch fetch, GatewayHost gateway, int standbys) {
  /** Standbys kept when nothing says otherwise: one, so a scale from zero needs no JVM start. */
  public static final int DEFAULT_STANDBYS = 1;
  /** The most standbys a server keeps. */
  public static final int MAX_STANDBYS = StandbyReplicas.MAX;

  public ServingSetup {
    Objects.requireNonNull(launch, "launch");
    Objects.requireNonNull(fetch, "fetch");
    Objects.requireNonNull(gateway, "gateway");
    if (standbys < 0 || standbys > MAX_STANDBYS) {
      throw new IllegalArgumentException("--serving-standbys must be between 0 and " + MAX_STANDBYS + ", not " + standbys);
    }
  }

  public ServingSetup(ServeLaunch launch, ModelFetch fetch, GatewayHost gateway) {
    this(launch, fetch, gateway, DEFAULT_STANDBYS);
  }
}
