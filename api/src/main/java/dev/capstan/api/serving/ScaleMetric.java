package dev.capstan.api.serving;

import dev.capstan.api.validation.WireEnum;

/** What the autoscaler follows per replica: requests in flight, or requests per second. */
public enum ScaleMetric implements WireEnum {
  CONCURRENCY("concurrency"),
  RPS("rps");

  private final String wire;

  ScaleMetric(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }
}
