package dev.capstan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code capstan run -f} of an InferenceService: applies it, reports its state as it changes, and
 * once the applied generation serves prints its URL on stdout. A revision that cannot become
 * ready (the service Failed or Degraded for this generation) ends the run with its reason.
 */
final class ServiceRun {
  private static final Duration PATIENCE = Duration.ofMinutes(10);

  private ServiceRun() {}

  static int applyAndAwaitReady(ServerClient client, ManifestFiles.Manifest m) throws InterruptedException {
    ServerClient.Applied applied = client.apply(m.kind(), m.namespace(), m.name(), m.doc());
    System.err.println("capstan: " + m.kind().singular() + "/" + m.name() + (applied.created() ? " created" : " configured"));
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      JsonNode service = client.get(m.kind(), m.namespace(), m.name())
          .orElseThrow(() -> new CliErrors.UserError(m.kind().singular() + "/" + m.name() + " was deleted while starting"));
      JsonNode status = service.path("status");
      boolean current = status.path("observedGeneration").asLong(-1) >= service.path("metadata").path("generation").asLong(0);
      String state = status.path("state").asText("Pending");
      String line = state + ": " + status.path("message").asText("");
      if (!line.equals(last) && status.has("state")) {
        System.err.println("capstan: " + m.kind().singular() + "/" + m.name() + " " + line);
        last = line;
      }
      Optional<JsonNode> ready = Optional.ofNullable(JobViews.condition(service, "Ready"));
      if (current && ready.map(c -> c.path("status").asText().equals("True")).orElse(false)
          && (state.equals("Ready") || state.equals("Idle"))) {
        System.out.println(status.path("url").asText());
        return 0;
      }
      if (current && (state.equals("Failed") || state.equals("Degraded"))) {
        System.err.println("capstan: " + m.kind().singular() + "/" + m.name() + " cannot serve this spec: "
            + status.path("message").asText("") + " (see 'capstan describe isvc " + m.name() + "')");
        return 1;
      }
      Thread.sleep(200);
    }
    throw new CliErrors.UserError(m.kind().singular() + "/" + m.name() + " was not Ready after " + PATIENCE.toMinutes() + " minutes");
  }
}
