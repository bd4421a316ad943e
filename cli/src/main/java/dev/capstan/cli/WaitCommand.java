package dev.capstan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code capstan wait KIND/NAME --for=condition=C [--timeout=D]}, also {@code --for=delete}. */
@Command(name = "wait", description = "Wait for a condition (--for=condition=Succeeded) or deletion (--for=delete).")
final class WaitCommand implements Callable<Integer> {
  @Mixin
  ClusterOptions cluster;

  @Mixin
  ResourceArgs resource;

  @Option(names = "--for", required = true, description = "condition=TYPE[=true|false] or delete")
  String forWhat;

  @Option(names = "--timeout", defaultValue = "30s", description = "e.g. 30s, 5m (default 30s)")
  String timeout;

  @Override
  public Integer call() throws InterruptedException {
    KindArgs.Ref ref = resource.ref();
    Duration limit = Durations.parse(timeout);
    boolean forDelete = forWhat.equals("delete");
    String[] parts = forWhat.split("=");
    if (!forDelete && (parts.length < 2 || !parts[0].equals("condition"))) {
      throw new CliErrors.UserError("--for must be condition=TYPE[=true|false] or delete (is '" + forWhat + "')");
    }
    String type = forDelete ? null : parts[1];
    String wanted = parts.length > 2 ? parts[2] : "true";
    ControlPlane client = cluster.connect();
    boolean met = Polling.until(limit, Duration.ofMillis(150), () -> {
      Optional<JsonNode> job = client.get(ref.kind(), resource.namespace(), ref.name()).map(j -> (JsonNode) j);
      if (forDelete) {
        return job.isEmpty();
      }
      JsonNode j = job.orElseThrow(() -> new CliErrors.UserError(ref.display() + " not found in namespace " + resource.namespace()));
      JsonNode c = JobViews.condition(j, type);
      if (c != null && c.path("status").asText().equalsIgnoreCase(wanted)) {
        return true;
      }
      String state = JobViews.state(j);
      boolean finishes = ref.kind() != dev.capstan.api.codec.Kinds.INFERENCE_SERVICE; // a service that Failed can still recover
      if (finishes && (state.equals("Succeeded") || state.equals("Failed")) && !type.equalsIgnoreCase(state)) {
        throw new CliErrors.UserError(ref.display() + " finished as " + state + " without condition " + type + ": "
            + j.path("status").path("message").asText(""));
      }
      return false;
    });
    if (!met) {
      throw new CliErrors.UserError("timed out after " + timeout + " waiting for " + forWhat + " on " + ref.display());
    }
    System.out.println(ref.display() + (forDelete ? " deleted" : " condition met"));
    return 0;
  }
}
