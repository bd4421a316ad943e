package dev.capstan.local;

import java.nio.file.Path;

/**
 * Where local mode keeps its state, under {@code $CAPSTAN_HOME} (default {@code ~/.capstan}):
 * {@code store/} the durable resources, {@code runtime/} replica process records, {@code logs/}
 * one file per replica, {@code server.json} how to reach the running server, {@code token} the
 * secret every API request must carry. The home and everything the server writes in it are
 * readable by their owner only.
 */
public record LocalPaths(Path home) {
  public static LocalPaths fromEnvironment() {
    String env = System.getenv("CAPSTAN_HOME");
    Path home = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".capstan");
    return new LocalPaths(home.toAbsolutePath());
  }

  public Path store() {
    return home.resolve("store");
  }

  public Path runtime() {
    return home.resolve("runtime");
  }

  public Path jobRuntime(String namespace, String job) {
    return runtime().resolve(namespace).resolve(job);
  }

  public Path logs() {
    return home.resolve("logs");
  }

  public Path replicaLog(String namespace, String job, String replicaShortName) {
    return logs().resolve(namespace).resolve(job).resolve(replicaShortName + ".log");
  }

  public Path serverInfo() {
    return home.resolve("server.json");
  }

  /** The API's bearer token: mode 0600, read by the CLI (and anything else acting as the owner). */
  public Path token() {
    return home.resolve("token");
  }

  public Path serverLock() {
    return home.resolve("server.lock");
  }

  public Path serverLog() {
    return home.resolve("server.log");
  }

  public Path events() {
    return home.resolve("events");
  }
}
