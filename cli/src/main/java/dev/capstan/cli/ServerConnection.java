package dev.capstan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.local.LocalPaths;
import dev.capstan.local.server.PrivateHome;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the local server for {@code $CAPSTAN_HOME} (its port in {@code server.json}, its token in
 * {@code token}), or starts one in the background when none runs (saying so on stderr).
 */
public final class ServerConnection {
  private ServerConnection() {}

  public static ServerClient connect() {
    LocalPaths paths = LocalPaths.fromEnvironment();
    Optional<ServerClient> running = find(paths);
    if (running.isPresent()) {
      return running.get();
    }
    if (serverHoldsTheHome(paths)) {
      // A server runs but did not answer in time (a busy machine): wait for it, never start a second.
      return awaitHealthy(paths, info(paths).map(i -> i.path("pid").asLong(-1)).orElse(-1L));
    }
    long pid = startInBackground(paths);
    System.err.println("capstan: no server was running; started one in the background (pid " + pid + ", log "
        + paths.serverLog() + "; stop it with 'capstan down')");
    return awaitHealthy(paths, pid);
  }

  /** The running server, if {@code server.json} names one that answers. */
  public static Optional<ServerClient> find(LocalPaths paths) {
    Optional<JsonNode> info = info(paths);
    if (info.isEmpty()) {
      return Optional.empty();
    }
    ServerClient client = new ServerClient(info.get().path("port").asInt(), token(paths));
    return client.healthy() ? Optional.of(client) : Optional.empty();
  }

  /**
   * The API token the server wrote for this home ({@code $CAPSTAN_HOME/token}, readable by its
   * owner only); empty when there is none yet, which a running server then refuses.
   */
  static String token(LocalPaths paths) {
    try {
      return Files.readString(paths.token(), StandardCharsets.ISO_8859_1).strip();
    } catch (NoSuchFileException e) {
      return "";
    } catch (IOException e) {
      throw new CliErrors.UserError("cannot read the API token " + paths.token() + ": " + e.getMessage()
          + " (only the user who runs the server can use its API)");
    }
  }

  public static Optional<JsonNode> info(LocalPaths paths) {
    Path file = paths.serverInfo();
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Manifests.json().readTree(file.toFile()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Whether a server holds this home's lock now (it takes it before anything else and keeps it while it runs). */
  static boolean serverHoldsTheHome(LocalPaths paths) {
    if (!Files.exists(paths.serverLock())) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(paths.serverLock(), StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        return true;
      }
      lock.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true; // held by a server in this very JVM
    } catch (IOException e) {
      return false;
    }
  }

  /** Starts {@code capstan server} detached from this terminal, logging to server.log. */
  static long startInBackground(LocalPaths paths) {
    try {
      PrivateHome.create(paths);
      PrivateHome.createFile(paths.serverLog());
      String java = ProcessHandle.current().info().command().orElse("java");
      // A control plane is long-lived but small: the serial collector and a bounded heap keep its
      // resident memory low.
      List<String> argv = new ArrayList<>(List.of("setsid", java, "-XX:+UseSerialGC", "-Xmx512m"));
      for (String prop : List.of("ai.djl.offline", "capstan.root")) {
        String v = System.getProperty(prop);
        if (v != null) {
          argv.add("-D" + prop + "=" + v);
        }
      }
      argv.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "server"));
      ProcessBuilder pb = new ProcessBuilder(argv)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(paths.serverLog().toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      pb.environment().put("CAPSTAN_HOME", paths.home().toString());
      return pb.start().pid();
    } catch (IOException e) {
      throw new CliErrors.UserError("cannot start a Capstan server: " + e.getMessage());
    }
  }

  static ServerClient awaitHealthy(LocalPaths paths, long pid) {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      Optional<ServerClient> client = find(paths);
      if (client.isPresent()) {
        return client.get();
      }
      if (ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true) && !serverHoldsTheHome(paths) && find(paths).isEmpty()) {
        throw new CliErrors.UserError("the Capstan server exited while starting; see " + paths.serverLog());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new CliErrors.UserError("the Capstan server did not become ready within 60s; see " + paths.serverLog());
  }
}
