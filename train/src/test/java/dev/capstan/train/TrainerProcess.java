package dev.capstan.train;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real trainer JVM started the way a TrainingJob replica is: env contract plus flags. */
final class TrainerProcess {
  final int rank;
  final Process process;
  final Path stdout;
  final Path stderr;

  private TrainerProcess(int rank, Process process, Path stdout, Path stderr) {
    this.rank = rank;
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** Starts rank {@code rank} of {@code worldSize} with {@code flags}; logs go to {@code logDir}. */
  static TrainerProcess start(Path logDir, int port, int worldSize, int rank, List<String> flags, String tag)
      throws IOException {
    return start(logDir, port, worldSize, rank, flags, tag, java.util.Map.of());
  }

  /** As above, with extra environment variables. */
  static TrainerProcess start(Path logDir, int port, int worldSize, int rank, List<String> flags, String tag,
      java.util.Map<String, String> env) throws IOException {
    Files.createDirectories(logDir);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dai.djl.offline=true");
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-Xmx512m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(TrainMain.class.getName());
    command.addAll(flags);
    Path out = logDir.resolve(tag + "-rank" + rank + ".out");
    Path err = logDir.resolve(tag + "-rank" + rank + ".err");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().put("OPT_OUT_TRACKING", "true");
    builder.environment().put("MASTER_ADDR", "127.0.0.1");
    builder.environment().put("MASTER_PORT", String.valueOf(port));
    builder.environment().put("WORLD_SIZE", String.valueOf(worldSize));
    builder.environment().put("RANK", String.valueOf(rank));
    builder.environment().putAll(env);
    return new TrainerProcess(rank, builder.start(), out, err);
  }

  static List<TrainerProcess> startAll(Path logDir, int worldSize, List<String> flags, String tag) throws IOException {
    return startAll(logDir, worldSize, flags, tag, java.util.Map.of());
  }

  static List<TrainerProcess> startAll(Path logDir, int worldSize, List<String> flags, String tag,
      java.util.Map<String, String> env) throws IOException {
    int port = freePort();
    List<TrainerProcess> all = new ArrayList<>();
    for (int rank = 0; rank < worldSize; rank++) {
      all.add(start(logDir, port, worldSize, rank, flags, tag, env));
    }
    return all;
  }

  /** Waits for exit (killing the process if it overstays) and returns the exit code. */
  int await(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("rank " + rank + " still running after " + seconds + " s\n" + describe());
    }
    return process.exitValue();
  }

  String out() {
    return read(stdout);
  }

  String err() {
    return read(stderr);
  }

  String describe() {
    return "--- rank " + rank + " stdout\n" + out() + "--- rank " + rank + " stderr\n" + err();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  static int freePort() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static void killAll(List<TrainerProcess> all) {
    for (TrainerProcess p : all) {
      p.process.destroyForcibly();
    }
  }

  static String classpathSeparator() {
    return File.pathSeparator;
  }
}
