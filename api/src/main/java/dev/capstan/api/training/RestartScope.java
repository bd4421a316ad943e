package dev.capstan.api.training;

import dev.capstan.api.validation.WireEnum;

/** What restarts when one replica fails in a retryable way. */
public enum RestartScope implements WireEnum {
  /** Every replica of the job is stopped and started again together. */
  GANG("Gang"),
  /** Only the failed replica is started again. */
  REPLICA("Replica");

  private final String wire;

  RestartScope(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }
}
