package dev.capstan.cli;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.codec.Manifests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A Capstan home of its own for a test, driven through the real CLI in separate JVMs (the server
 * the CLI starts is a separate process too, as for a user).
 */
final class LocalCapstan implements AutoCloseable {
  /** What one CLI invocation did. */
  record Result(int exitCode, String stdout, String stderr) {
    Result expectSuccess() {
      if (exitCode != 0) {
        fail("capstan exited " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
      }
      return this;
    }
  }

  final Path home;
  final Path work;
  private final Map<String, String> env;

  LocalCapstan(Path tempDir, Map<String, String> env) throws IOException {
    this.home = Files.createDirectories(tempDir.resolve("home"));
    this.work = Files.createDirectories(tempDir.resolve("work"));
    this.env = env;
  }

  LocalCapstan(Path tempDir) throws IOException {
    this(tempDir, Map.of());
  }

  Result run(String... args) {
    return runWithStdin(null, args);
  }

  /** Like {@link #run}, for a command that may take longer than the usual 5 minutes (the demo on a loaded machine). */
  Result runWithin(Duration limit, String... args) {
    return runWithStdin(null, limit, args);
  }

  Result runWithStdin(String stdin, String... args) {
    return runWithStdin(stdin, Duration.ofMinutes(5), args);
  }

  private Result runWithStdin(String stdin, Duration limit, String... args) {
    try {
      List<String> argv = new ArrayList<>(List.of(javaBinary(), "-cp", System.getProperty("java.class.path"),
          Main.class.getName()));
      argv.addAll(List.of(args));
      Path out = Files.createTempFile(work, "out", ".txt");
      Path err = Files.createTempFile(work, "err", ".txt");
      ProcessBuilder pb = new ProcessBuilder(argv).directory(work.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.environment().put("CAPSTAN_HOME", home.toString());
      pb.environment().putAll(env);
      Process p = pb.start();
      if (stdin != null) {
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      p.getOutputStream().close();
      if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        fail("capstan " + String.join(" ", args) + " did not finish within " + limit.toMinutes() + " minutes");
      }
      return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Writes a manifest into the work directory and returns its path. */
  Path manifest(String name, String yaml) throws IOException {
    Path file = work.resolve(name);
    Files.writeString(file, yaml);
    return file;
  }

  JsonNode job(String namespace, String name) {
    Result r = run("get", "trainingjob", name, "-n", namespace, "-o", "json").expectSuccess();
    try {
      return Manifests.json().readTree(r.stdout());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Polls the job until the predicate holds; fails with the last state seen after the timeout. */
  JsonNode awaitJob(String namespace, String name, Duration timeout, Predicate<JsonNode> condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = job(namespace, name);
      if (condition.test(last)) {
        return last;
      }
      Thread.sleep(200);
    }
    fail("job " + namespace + "/" + name + " did not reach the expected state; last seen:\n" + last);
    return last;
  }

  static Predicate<JsonNode> inState(String state) {
    return j -> state.equals(j.path("status").path("state").asText());
  }

  long serverPid() throws IOException {
    return Manifests.json().readTree(home.resolve("server.json").toFile()).path("pid").asLong();
  }

  /** PIDs of live processes whose environment names this namespace: the job's replica trees. */
  static List<Long> processesOfNamespace(String namespace) {
    return processesWithEnvironment("CAPSTAN_JOB_NAMESPACE=" + namespace);
  }

  /** PIDs of live processes (zombies left out) whose environment holds every one of these {@code NAME=value} entries. */
  static List<Long> processesWithEnvironment(String... needles) {
    List<Long> pids = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String environ = new String(Files.readAllBytes(p.resolve("environ")), StandardCharsets.UTF_8);
          String stat = Files.readString(p.resolve("stat"));
          boolean zombie = stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
          if (!zombie && List.of(environ.split("\0")).containsAll(List.of(needles))) {
            pids.add(Long.parseLong(p.getFileName().toString()));
          }
        } catch (IOException e) {
          // the process ended while we looked
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return pids;
  }

  static String javaBinary() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  @Override
  public void close() {
    run("down");
  }
}
