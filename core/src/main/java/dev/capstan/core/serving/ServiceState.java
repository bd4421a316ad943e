package dev.capstan.core.serving;

/** The lifecycle of an InferenceService, a summary of its conditions. docs/serving.md draws it. */
public enum ServiceState {
  Pending("no revision has been ready yet; nothing serves"),
  Ready("serving: every request goes to the latest revision"),
  Idle("serving at zero replicas: the first request starts one while the gateway holds it"),
  RollingOut("serving from the rolled-out revision while the latest one starts or takes its canary share"),
  Degraded("serving from the rolled-out revision; the latest revision cannot become ready or the spec is invalid"),
  Failed("nothing serves: the only revision cannot become ready, or the spec is invalid"),
  Deleting("being deleted: every revision is being stopped");

  private final String description;

  ServiceState(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }
}
