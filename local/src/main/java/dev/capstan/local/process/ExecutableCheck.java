package dev.capstan.local.process;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether a replica's command can be executed at all, checked before it is launched: a program
 * named by a path (resolved against the working directory) must exist and be an executable file;
 * a bare name must be found on the replica's {@code PATH}. No restart can fix what fails here, so
 * the replica is reported with the problem and the shell's exit code for it (127 not found, 126
 * not executable) rather than launched.
 */
final class ExecutableCheck {
  /** Why the command cannot run, and the exit code a shell gives for that. */
  record Problem(int exitCode, String message) {}

  static final int NOT_FOUND = 127;
  static final int NOT_EXECUTABLE = 126;

  private ExecutableCheck() {}

  static Optional<Problem> of(LaunchCommand launch) {
    if (!Files.isDirectory(launch.workingDir())) {
      return Optional.of(new Problem(NOT_FOUND, "working directory not found: " + launch.workingDir()));
    }
    if (launch.argv().isEmpty()) {
      return Optional.empty();
    }
    String program = launch.argv().get(0);
    try {
      return program.contains("/") ? file(launch.workingDir().resolve(program).normalize()) : onPath(program, launch);
    } catch (InvalidPathException e) {
      return Optional.empty(); // a name no path can hold (a NUL byte): the launch itself says why
    }
  }

  private static Optional<Problem> file(Path program) {
    if (!Files.exists(program)) {
      return Optional.of(new Problem(NOT_FOUND, "command not found: " + program));
    }
    if (Files.isDirectory(program) || !Files.isExecutable(program)) {
      return Optional.of(new Problem(NOT_EXECUTABLE, "command is not an executable file: " + program));
    }
    return Optional.empty();
  }

  private static Optional<Problem> onPath(String program, LaunchCommand launch) {
    String path = launch.env().getOrDefault("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = dir.isEmpty() ? null : Path.of(dir).resolve(program);
      if (candidate != null && Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.empty();
      }
    }
    return Optional.of(new Problem(NOT_FOUND, "command not found on PATH (" + path + "): " + program));
  }
}
