package dev.capstan.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code capstan logs KIND/NAME [--replica ROLE-INDEX] [--all] [-f]}. */
@Command(name = "logs", description = "Print a replica's log (default: the rank-0 replica).")
final class LogsCommand implements Callable<Integer> {
  @Mixin
  ClusterOptions cluster;

  @Mixin
  ResourceArgs resource;

  @Option(names = {"-r", "--replica"}, description = "ROLE-INDEX, e.g. worker-1")
  String replica;

  @Option(names = "--all", description = "Every replica, each line prefixed with [role-index]")
  boolean all;

  @Option(names = {"-f", "--follow"}, description = "Keep streaming until the job finishes")
  boolean follow;

  @Override
  public Integer call() throws IOException {
    KindArgs.Ref ref = resource.ref();
    ControlPlane client = cluster.connect();
    try (InputStream in = client.logs(ref.kind(), resource.namespace(), ref.name(), new ControlPlane.LogRequest(replica, all, follow))) {
      in.transferTo(System.out);
    }
    System.out.flush();
    return 0;
  }
}
