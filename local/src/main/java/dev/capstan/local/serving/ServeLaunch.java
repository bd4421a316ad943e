package dev.capstan.local.serving;

import dev.capstan.core.serving.RevisionKey;
import dev.capstan.local.process.LaunchCommand;
import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to start a {@code capstan serve} replica: the same Java binary and class path as the running
 * CLI, with the options that make its start fast (a class-data-sharing archive kept under the
 * home, created by the first replica that finds none; the serial collector; offline DJL). Each
 * replica listens on 127.0.0.1 only, at the ports given to it, and serves the model under the
 * service's name.
 *
 * @param java the Java binary
 * @param classPath the CLI's class path
 * @param mainClass the CLI's main class
 * @param cdsDir where the class-data-sharing archive is kept (one per Java binary and class path)
 */
public record ServeLaunch(String java, String classPath, String mainClass, Path cdsDir) {
  public ServeLaunch {
    Objects.requireNonNull(java, "java");
    Objects.requireNonNull(classPath, "classPath");
    Objects.requireNonNull(mainClass, "mainClass");
  }

  /** The running JVM's binary and class path, running {@code mainClass}. */
  public static ServeLaunch ofThisJvm(String mainClass, Path cdsDir) {
    return new ServeLaunch(ProcessHandle.current().info().command().orElse("java"), System.getProperty("java.class.path"),
        mainClass, cdsDir);
  }

  /** The environment variable naming a serving replica's service ({@code namespace/name}), for tools and tests. */
  public static final String SERVICE_MARKER = "CAPSTAN_INFERENCE_SERVICE";

  /** The environment variable naming a standby's slot, for tools and tests. */
  public static final String STANDBY_MARKER = "CAPSTAN_SERVING_STANDBY";

  /** One replica's process: {@code capstan serve} over the revision's model copy. */
  LaunchCommand replica(RevisionKey key, Path modelDir, int restPort, int grpcPort, Path log) {
    String service = key.service();
    List<String> argv = jvm();
    argv.addAll(List.of("-cp", classPath, mainClass, "serve", "--model-dir", modelDir.toString(), "--name", service,
        "--host", "127.0.0.1", "--port", Integer.toString(restPort), "--grpc-port", Integer.toString(grpcPort)));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("OPT_OUT_TRACKING", "true");
    env.put(SERVICE_MARKER, key.namespace() + "/" + key.service());
    env.put("CAPSTAN_REVISION", key.revision());
    return new LaunchCommand(argv, modelDir, env, log);
  }

  /**
   * Runs a standby's server under a small watch: the process is a standby of the server with PID
   * {@code $1} started at clock tick {@code $2}, and it is sent SIGTERM once that server is gone,
   * so no standby outlives its server, however the server ended. The watch lets go only on the
   * take's positive signal: the take marker {@code $4} exists and the standby's record {@code $3}
   * is gone from its slot (the take writes the marker, then moves the slot, record and all, into
   * the replica's directory; see {@link StandbyReplicas#handOver}); then the replica runs on for
   * the next server. A record gone for any other reason (the slot or the whole home deleted) lets
   * nothing go: only a take writes the marker, and it is removed only once a taken process has
   * ended. The watch exits with the server's own exit code. It reads the server's {@code /proc}
   * entry, which a replica's PID namespace leaves visible.
   */
  private static final String WATCH = String.join("\n",
      "server=\"$1\"; started=\"$2\"; record=\"$3\"; taken=\"$4\"; shift 4",
      "alive() { s=$(cat \"/proc/$server/stat\" 2>/dev/null) || return 1; set -- ${s##*) }; [ \"${20}\" = \"$started\" ]; }",
      "\"$@\" & child=$!",
      "trap 'kill -TERM \"$child\" 2>/dev/null' TERM INT",
      "while kill -0 \"$child\" 2>/dev/null; do",
      "  [ ! -e \"$record\" ] && [ -e \"$taken\" ] && break",
      "  alive || { kill -TERM \"$child\" 2>/dev/null; break; }",
      "  sleep 2",
      "done",
      "while :; do wait \"$child\"; code=$?; kill -0 \"$child\" 2>/dev/null || exit $code; done");

  /**
   * A standby's process: {@code capstan serve} with no model, its repository extension on (the
   * token in an owner-only file) and file sources allowed under {@code modelRoot} only, waiting for
   * a load call to make it a replica. While it waits it ends with the server that started it
   * ({@code record} is its record in the slot, {@code taken} the marker a take writes; see
   * {@link #WATCH}).
   */
  LaunchCommand standby(String slot, Path record, Path taken, Path tokenFile, Path modelRoot, int restPort, int grpcPort,
      Path log) {
    return standby(slot, record, taken, tokenFile, modelRoot, restPort, grpcPort, log, ServerIdentity.current());
  }

  /** A standby watching {@code server} ({@code current()} but in tests); with none, not watched. */
  LaunchCommand standby(String slot, Path record, Path taken, Path tokenFile, Path modelRoot, int restPort, int grpcPort,
      Path log, Optional<ServerIdentity> server) {
    List<String> argv = new ArrayList<>();
    server.ifPresent(s -> argv.addAll(List.of("/bin/sh", "-c", WATCH, "capstan-standby", Long.toString(s.pid()),
        s.startTicks(), record.toString(), taken.toString())));
    argv.addAll(jvm());
    argv.addAll(List.of("-cp", classPath, mainClass, "serve", "--repository-token-file", tokenFile.toString(), "--model-root",
        modelRoot.toString(), "--host", "127.0.0.1", "--port", Integer.toString(restPort), "--grpc-port",
        Integer.toString(grpcPort)));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("OPT_OUT_TRACKING", "true");
    env.put(STANDBY_MARKER, slot);
    return new LaunchCommand(argv, modelRoot, env, log);
  }

  /** The Java binary and the options that make a start fast, the class-data archive among them. */
  private List<String> jvm() {
    List<String> argv = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xss512k", "--enable-native-access=ALL-UNNAMED",
        "-Dai.djl.offline=true"));
    if (sharesClassData()) {
      argv.addAll(List.of("-XX:SharedArchiveFile=" + archive(), "-XX:+AutoCreateSharedArchive", "-Xlog:cds=off",
          "-Xlog:cds+dynamic=off"));
    }
    return argv;
  }

  /**
   * Whether replicas use the class-data archive: only with an archive directory, on a JDK that
   * makes the archive itself (19 and later), and for a class path of jars (a directory of classes,
   * as in a development build, cannot be archived).
   */
  boolean sharesClassData() {
    return cdsDir != null && Runtime.version().feature() >= 19 && !classPath.isEmpty()
        && Arrays.stream(classPath.split(File.pathSeparator)).allMatch(e -> e.endsWith(".jar"));
  }

  /** The archive for this binary and class path: a new class path gets a new archive. */
  Path archive() {
    String key = HexFormat.of().toHexDigits((java + "\n" + classPath).hashCode());
    return cdsDir.resolve("serve-" + Runtime.version().feature() + "-" + key + ".jsa");
  }
}
