package dev.capstan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Kinds;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code capstan run -f FILE}: applies a job (replacing a finished one of the same name), streams
 * every replica's log prefixed with its name, reports state changes on stderr, and exits 0 only
 * if the job succeeded. An InferenceService is applied and waited for until it serves; its URL is
 * printed.
 */
@Command(name = "run", description = {"Apply a TrainingJob, stream its logs, exit 0 only if it succeeds;",
    "or apply an InferenceService, wait until it is Ready and print its URL."})
final class RunCommand implements Callable<Integer> {
  @Option(names = {"-f", "--filename"}, required = true, description = "Manifest with one TrainingJob or InferenceService (or - for stdin)")
  String file;

  @Option(names = {"-q", "--quiet"}, description = "Do not stream replica logs")
  boolean quiet;

  @Mixin
  NamespaceOption ns;

  @Override
  public Integer call() throws Exception {
    List<ManifestFiles.Manifest> manifests = ManifestFiles.read(file, ns.namespace);
    if (manifests.size() != 1) {
      throw new CliErrors.UserError("run takes exactly one TrainingJob or InferenceService (found " + manifests.size() + " in " + file + ")");
    }
    ManifestFiles.Manifest m = manifests.get(0);
    m.announce();
    ServerClient client = ServerConnection.connect();
    LocalNotes.imagesIgnored(manifests);
    if (m.kind() == Kinds.INFERENCE_SERVICE) {
      return ServiceRun.applyAndAwaitReady(client, m);
    }
    replaceFinished(client, m);
    long started = System.nanoTime();
    client.apply(m.kind(), m.namespace(), m.name(), m.doc());
    System.err.println("capstan: " + m.kind().singular() + "/" + m.name() + " created");
    Thread progress = Thread.ofVirtual().start(() -> reportProgress(client, m));
    if (!quiet) {
      try (InputStream in = client.logs(m.kind(), m.namespace(), m.name(), "follow=true&all=true")) {
        in.transferTo(System.out);
      } catch (IOException e) {
        System.err.println("capstan: log stream ended: " + e.getMessage());
      }
    }
    JsonNode last = awaitFinished(client, m);
    progress.interrupt();
    System.out.flush();
    String state = JobViews.state(last);
    System.err.printf("capstan: %s/%s %s in %.1fs (restarts %d; %s)%n", m.kind().singular(), m.name(), state,
        (System.nanoTime() - started) / 1e9, last.path("status").path("restartCount").asInt(0), JobViews.metrics(last));
    if (!state.equals("Succeeded")) {
      System.err.println("capstan: " + last.path("status").path("message").asText(""));
      FailedReplica.of(client, m.namespace(), m.name()).ifPresent(f -> f.lines().forEach(System.err::println));
      return 1;
    }
    return 0;
  }

  private static void replaceFinished(ServerClient client, ManifestFiles.Manifest m) throws InterruptedException {
    Optional<ObjectNode> existing = client.get(m.kind(), m.namespace(), m.name());
    if (existing.isEmpty()) {
      return;
    }
    String state = JobViews.state(existing.get());
    if (!state.equals("Succeeded") && !state.equals("Failed") && !state.equals("Terminating")) {
      throw new CliErrors.UserError(m.kind().singular() + "/" + m.name() + " is already " + state
          + "; follow it with 'capstan logs -f " + m.kind().singular() + "/" + m.name() + " --all' or delete it first");
    }
    System.err.println("capstan: replacing the finished " + m.kind().singular() + "/" + m.name());
    client.delete(m.kind(), m.namespace(), m.name());
    while (client.get(m.kind(), m.namespace(), m.name()).isPresent()) {
      Thread.sleep(100);
    }
  }

  private static JsonNode awaitFinished(ServerClient client, ManifestFiles.Manifest m) throws InterruptedException {
    while (true) {
      JsonNode job = client.get(m.kind(), m.namespace(), m.name())
          .orElseThrow(() -> new CliErrors.UserError(m.kind().singular() + "/" + m.name() + " was deleted while running"));
      String state = JobViews.state(job);
      if (state.equals("Succeeded") || state.equals("Failed")) {
        return job;
      }
      Thread.sleep(Duration.ofMillis(200));
    }
  }

  private static void reportProgress(ServerClient client, ManifestFiles.Manifest m) {
    String last = "";
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Optional<ObjectNode> job = client.get(m.kind(), m.namespace(), m.name());
        if (job.isEmpty()) {
          return;
        }
        String line = JobViews.state(job.get()) + ": " + job.get().path("status").path("message").asText("");
        if (!line.equals(last) && job.get().path("status").has("state")) {
          System.err.println("capstan: " + m.kind().singular() + "/" + m.name() + " " + line);
          last = line;
        }
        Thread.sleep(250);
      }
    } catch (InterruptedException | CliErrors.UserError e) {
      // the run is over
    }
  }
}
