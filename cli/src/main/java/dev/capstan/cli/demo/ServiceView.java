package dev.capstan.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.codec.Kinds;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One look at the demo's InferenceService through the control plane: its state, URL, whether the
 * status is of the applied generation, the rolled-out revision, and each revision's model version,
 * replicas and share of traffic.
 */
record ServiceView(String state, String message, String url, boolean current, String rolledOut, List<Revision> revisions,
    JsonNode service) {
  /** One revision as {@code status.revisions[]} records it. */
  record Revision(String name, String state, String modelVersion, int desired, int ready, int traffic) {}

  static ServiceView look(DemoRun run) {
    JsonNode service = run.client().get(Kinds.INFERENCE_SERVICE, run.namespace(), ServeStep.SERVICE)
        .orElseThrow(() -> new IllegalStateException("isvc " + run.namespace() + "/" + ServeStep.SERVICE + " disappeared"));
    JsonNode status = service.path("status");
    List<Revision> revisions = new ArrayList<>();
    for (JsonNode r : status.path("revisions")) {
      revisions.add(new Revision(r.path("name").asText(), r.path("state").asText(), r.path("modelVersion").asText("-"),
          r.path("desiredReplicas").asInt(0), r.path("readyReplicas").asInt(0), r.path("trafficPercent").asInt(0)));
    }
    boolean current = status.path("observedGeneration").asLong(-1) >= service.path("metadata").path("generation").asLong(0);
    return new ServiceView(status.path("state").asText("Pending"), status.path("message").asText(""), status.path("url").asText(""),
        current, status.path("components").path("predictor").path("latestRolledoutRevision").asText(""), List.copyOf(revisions),
        service);
  }

  /**
   * Looks until {@code done} holds, printing each new state line as it goes; fails when the
   * applied generation is Failed or Degraded, or when the step's deadline passes.
   */
  static ServiceView await(DemoRun run, Predicate<ServiceView> done) throws InterruptedException {
    long deadline = System.nanoTime() + run.stepDeadline().toNanos();
    String last = "";
    while (true) {
      ServiceView v = look(run);
      String line = "  isvc " + ServeStep.SERVICE + " " + v.state() + ": " + v.message();
      if (!line.equals(last)) {
        run.out().line(line);
        last = line;
      }
      if (done.test(v)) {
        return v;
      }
      if (v.current() && (v.state().equals("Failed") || v.state().equals("Degraded"))) {
        throw new IllegalStateException("isvc " + ServeStep.SERVICE + " is " + v.state() + ": " + v.message());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("isvc " + ServeStep.SERVICE + " is still " + v.state() + " after "
            + run.stepDeadline().toMinutes() + " minutes");
      }
      Thread.sleep(run.poll());
    }
  }

  /** Whether the applied generation is in this state and routed at a URL. */
  boolean is(String wanted) {
    return current && state.equals(wanted) && !url.isEmpty();
  }

  Optional<Revision> revision(String name) {
    return revisions.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  /** Ready replicas of every revision together. */
  int ready() {
    return revisions.stream().mapToInt(Revision::ready).sum();
  }

  /** Replicas the autoscalers want, every revision together. */
  int desired() {
    return revisions.stream().mapToInt(Revision::desired).sum();
  }

  /** The gateway's base, {@code http://host:port}, from the service's URL {@code …/serving/NS/NAME}. */
  String gatewayBase() {
    int at = url.indexOf("/serving/");
    return at < 0 ? url : url.substring(0, at);
  }
}
