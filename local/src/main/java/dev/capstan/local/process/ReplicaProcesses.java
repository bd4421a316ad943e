package dev.capstan.local.process;

import dev.capstan.api.codec.Manifests;
import dev.capstan.local.OwnerOnly;
import dev.capstan.local.store.DurableFiles;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Launches, finds and forgets replica processes. Each replica runs in its own session and process
 * group under a small shell wrapper that joins the incarnation's cgroup (when there is one), runs
 * the command and writes the exit code to a file when it ends, so an exit is known even when it
 * happened while the server was down. Where the incarnation has no cgroup, the wrapper runs as the
 * init of a PID namespace of its own when the host allows one ({@link ReplicaPidNamespaces}): the
 * recorded process is then {@code unshare}, which lives as long as the wrapper and exits with its
 * status. The wrapper runs the command only while the incarnation's launch ticket exists: an
 * incarnation given up after a crash cannot start late.
 */
public final class ReplicaProcesses {
  /** $1 launch ticket, $2 exit file, $3 cgroup directory or empty, then the command. */
  private static final String WRAPPER = String.join("\n",
      "ticket=\"$1\"; exitfile=\"$2\"; cgroup=\"$3\"; shift 3",
      "[ -e \"$ticket\" ] || exit 0",
      "[ -z \"$cgroup\" ] || { echo $$ > \"$cgroup/cgroup.procs\"; } 2>/dev/null",
      "\"$@\"; code=$?",
      "umask 077; echo $code > \"$exitfile.tmp\" && mv \"$exitfile.tmp\" \"$exitfile\"; exit $code");
  private static final String RECORD = "process.json";

  private final ReplicaPidNamespaces namespaces;

  /** One replica process as seen now. */
  public record Status(ProcessRecord record, boolean alive, OptionalInt exitCode) {}

  ReplicaProcesses(ReplicaPidNamespaces namespaces) {
    this.namespaces = namespaces;
  }

  /**
   * Launches an incarnation and records it durably. A command that cannot be executed (a missing
   * program or working directory, a file that is not executable; see {@link ExecutableCheck}) is
   * recorded as exited with the shell's code for it and the problem, which fails its job at once.
   * One that cannot be launched for another reason (a NUL byte in an argument or in the
   * environment, which no process can receive) is recorded as exited with 127. Either reason is
   * written to the log.
   */
  public ProcessRecord start(Path dir, int attempt, List<Integer> gpus, Incarnation incarnation, LaunchCommand launch) {
    try {
      OwnerOnly.directories(dir);
      OwnerOnly.directories(launch.logFile().getParent());
      OwnerOnly.file(launch.logFile());
      appendToLog(launch.logFile(), attempt > 0 ? "--- capstan: attempt " + attempt + " ---" : null);
      Path ticket = OwnerOnly.file(launchTicket(dir, incarnation));
      Path exitFile = exitFile(dir, incarnation, attempt);
      Files.deleteIfExists(exitFile);
      String cgroup = incarnation.cgroupDir().filter(ReplicaCgroups::create).map(Path::toString).orElse("");
      List<String> argv = new ArrayList<>(List.of("setsid"));
      if (cgroup.isEmpty()) {
        argv.addAll(namespaces.prefix());
      }
      argv.addAll(List.of("/bin/sh", "-c", WRAPPER, "capstan-replica", ticket.toString(), exitFile.toString(), cgroup));
      argv.addAll(launch.argv());
      ProcessRecord record;
      Optional<ExecutableCheck.Problem> problem = ExecutableCheck.of(launch);
      if (problem.isPresent()) {
        appendToLog(launch.logFile(), "capstan: cannot start the replica: " + problem.get().message());
        Files.writeString(exitFile, problem.get().exitCode() + "\n", StandardCharsets.UTF_8);
        record = new ProcessRecord(0, 0, attempt, gpus, incarnation, problem.get().message());
        write(dir, record);
        return record;
      }
      try {
        Process process = builder(argv, launch, incarnation).start();
        long startMillis = process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        record = new ProcessRecord(process.pid(), startMillis, attempt, gpus, incarnation);
      } catch (IOException | IllegalArgumentException e) {
        appendToLog(launch.logFile(), "capstan: cannot start the replica: " + e.getMessage());
        Files.writeString(exitFile, "127\n", StandardCharsets.UTF_8);
        record = new ProcessRecord(0, 0, attempt, gpus, incarnation);
      }
      write(dir, record);
      return record;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start replica in " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * The process to start, with the replica's environment and the incarnation's marker over it.
   * Throws IllegalArgumentException naming the argument or variable that holds a NUL byte (never
   * its value, which may be a secret), before the JDK would refuse it with the value in its message.
   */
  private static ProcessBuilder builder(List<String> argv, LaunchCommand launch, Incarnation incarnation) {
    for (int i = 0; i < launch.argv().size(); i++) {
      if (launch.argv().get(i).indexOf('\0') >= 0) {
        throw new IllegalArgumentException("argument " + i + " of the command holds a NUL byte, which no process can receive");
      }
    }
    launch.env().forEach((name, value) -> {
      if (name.indexOf('\0') >= 0 || value.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("environment variable " + name.replace("\0", "\\0")
            + " holds a NUL byte, which no process can receive");
      }
    });
    ProcessBuilder pb = new ProcessBuilder(argv)
        .directory(launch.workingDir().toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(launch.logFile().toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().putAll(launch.env());
    pb.environment().put(Incarnation.MARKER, incarnation.uid());
    return pb;
  }

  /** Records an incarnation found to have run to its end while no server recorded it. */
  void recordFinished(Path dir, int attempt, List<Integer> gpus, Incarnation incarnation) {
    write(dir, new ProcessRecord(0, 0, attempt, gpus, incarnation));
  }

  /** Whether this incarnation wrote its exit code, that is, ran its command to the end. */
  boolean finished(Path dir, Incarnation incarnation) {
    return Files.exists(exitFile(dir, incarnation, 0));
  }

  /** Removes the incarnation's launch ticket: from now on its wrapper, if it starts late, runs nothing. */
  void withdraw(Path dir, Incarnation incarnation) {
    try {
      Files.deleteIfExists(launchTicket(dir, incarnation));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot withdraw " + incarnation.uid() + " in " + dir, e);
    }
  }

  public Optional<ProcessRecord> record(Path dir) {
    Path file = dir.resolve(RECORD);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Manifests.json().readValue(file.toFile(), ProcessRecord.class));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  public Optional<Status> inspect(Path dir) {
    return record(dir).map(record -> {
      boolean alive = leader(record).isPresent();
      OptionalInt exit = alive ? OptionalInt.empty() : readExit(exitFile(dir, record.incarnation(), record.attempt()));
      return new Status(record, alive, exit);
    });
  }

  /** The recorded wrapper process, while it is alive and is still the process that was recorded. */
  static Optional<ProcessHandle> leader(ProcessRecord record) {
    if (record.pid() <= 0) {
      return Optional.empty();
    }
    Optional<ProcessHandle> handle = ProcessHandle.of(record.pid()).filter(ProcessHandle::isAlive);
    if (handle.isEmpty()) {
      return Optional.empty();
    }
    long start = handle.get().info().startInstant().map(Instant::toEpochMilli).orElse(record.startMillis());
    // Start times read through /proc are rounded to clock ticks; allow that much difference.
    return Math.abs(start - record.startMillis()) < 1000 ? handle : Optional.empty();
  }

  /** The recorded process's tree together with these incarnations' markers and cgroups. */
  static ProcessTree tree(Optional<ProcessRecord> record, List<Incarnation> incarnations) {
    List<Incarnation> all = new ArrayList<>(incarnations);
    record.map(ProcessRecord::incarnation).filter(i -> all.stream().noneMatch(a -> a.uid().equals(i.uid()))).ifPresent(all::add);
    return new ProcessTree(record.flatMap(ReplicaProcesses::leader), record.map(ProcessRecord::pid).orElse(0L), all);
  }

  /** Forgets the recorded process, with its exit file and launch ticket. */
  public void forget(Path dir) {
    Optional<ProcessRecord> record = record(dir);
    DurableFiles.delete(dir.resolve(RECORD));
    record.ifPresent(r -> {
      try {
        Files.deleteIfExists(exitFile(dir, r.incarnation(), r.attempt()));
        if (r.incarnation() != null) {
          Files.deleteIfExists(launchTicket(dir, r.incarnation()));
        }
      } catch (IOException e) {
        // leftovers of an ended incarnation are harmless; release removes the directory
      }
    });
  }

  private static void write(Path dir, ProcessRecord record) {
    try {
      DurableFiles.write(dir.resolve(RECORD), Manifests.json().writeValueAsBytes(record));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the replica process in " + dir, e);
    }
  }

  private static OptionalInt readExit(Path file) {
    try {
      return OptionalInt.of(Integer.parseInt(Files.readString(file, StandardCharsets.UTF_8).trim()));
    } catch (IOException | NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  private static Path exitFile(Path dir, Incarnation incarnation, int attempt) {
    return dir.resolve(incarnation == null ? "exit-" + attempt : "exit-" + incarnation.uid());
  }

  private static Path launchTicket(Path dir, Incarnation incarnation) {
    return dir.resolve("launch-" + incarnation.uid());
  }

  private static void appendToLog(Path log, String line) throws IOException {
    if (line != null) {
      Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }
}
