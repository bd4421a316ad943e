package dev.capstan.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code capstan delete KIND NAME}: stops every replica process tree, then removes the job. */
@Command(name = "delete", description = "Delete a resource; its replicas' process trees are stopped.")
final class DeleteCommand implements Callable<Integer> {
  @Mixin
  ClusterOptions cluster;

  @Mixin
  ResourceArgs resource;

  // Picocli sets a negatable option to its default on the negated form: naming it --no-wait (false
  // by default) makes --no-wait return at once and --wait (the negated form) wait, as they read.
  @Option(names = "--no-wait", negatable = true, description = "Return once the deletion is accepted (--wait, the default, waits until it is gone)")
  boolean noWait;

  @Option(names = "--timeout", defaultValue = "60s", description = "How long to wait (default 60s)")
  String timeout;

  @Override
  public Integer call() throws InterruptedException {
    KindArgs.Ref ref = resource.ref();
    ControlPlane client = cluster.connect();
    if (!client.delete(ref.kind(), resource.namespace(), ref.name())) {
      throw new CliErrors.UserError(ref.display() + " not found in namespace " + resource.namespace());
    }
    if (!noWait && !Polling.until(Durations.parse(timeout), Duration.ofMillis(100),
        () -> client.get(ref.kind(), resource.namespace(), ref.name()).isEmpty())) {
      throw new CliErrors.UserError("timed out waiting for " + ref.display() + " to be deleted");
    }
    System.out.println(ref.display() + " deleted");
    return 0;
  }
}
