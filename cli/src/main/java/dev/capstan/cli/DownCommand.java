package dev.capstan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.local.LocalPaths;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code capstan down}: stops the background server. Replica processes keep running and are
 * adopted again by the next server.
 */
@Command(name = "down", description = "Stop the background control plane (running replicas are re-adopted by the next one).")
final class DownCommand implements Callable<Integer> {
  @Override
  public Integer call() throws InterruptedException {
    LocalPaths paths = LocalPaths.fromEnvironment();
    Optional<JsonNode> info = ServerConnection.info(paths);
    Optional<ProcessHandle> server = info.flatMap(i -> ProcessHandle.of(i.path("pid").asLong())).filter(ProcessHandle::isAlive);
    if (server.isEmpty()) {
      System.out.println("no capstan server running (home " + paths.home() + ")");
      return 0;
    }
    server.get().destroy();
    for (int i = 0; i < 300 && server.get().isAlive(); i++) {
      Thread.sleep(100);
    }
    if (server.get().isAlive()) {
      server.get().destroyForcibly();
    }
    System.out.println("capstan server stopped");
    return 0;
  }
}
