package dev.capstan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.codec.Kinds;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a failed job's user needs first: the replica that failed, its exit code and the last line
 * of its log, in one line; and, when that log shows a missing Python module, where the README says
 * how to install what the examples need.
 */
record FailedReplica(String name, int exitCode, String lastLogLine, boolean missingPythonModule) {
  static final String PYTHON_HINT = "capstan: hint: a Python module is missing; the PyTorch examples need Debian's PyTorch:"
      + " apt-get install -y python3-torch python3-onnx (README.md, first section)";

  /**
   * The replica to blame: one whose command could not be executed, else the first one (in name
   * order) that ended with a non-zero code; empty when no replica failed (a deadline, a bad spec).
   */
  static Optional<FailedReplica> of(ServerClient client, String namespace, String job) {
    JsonNode items;
    try {
      items = client.replicas(namespace, job).path("items");
    } catch (CliErrors.UserError e) {
      return Optional.empty(); // the job is gone already (ttlSecondsAfterFinished)
    }
    JsonNode blamed = null;
    for (JsonNode r : items) {
      if (r.has("commandProblem")) {
        blamed = r;
        break;
      }
      if (blamed == null && "Failed".equals(r.path("phase").asText())) {
        blamed = r;
      }
    }
    if (blamed == null) {
      return Optional.empty();
    }
    String name = blamed.path("name").asText();
    LogTail tail = LogTail.read(client.logs(Kinds.TRAINING_JOB, namespace, job, "follow=false&" + ServerClient.query("replica", name)));
    return Optional.of(new FailedReplica(name, blamed.path("exitCode").asInt(), tail.last, tail.missingPythonModule));
  }

  /** The lines {@code capstan run} ends a failed job with. */
  List<String> lines() {
    List<String> lines = new ArrayList<>();
    lines.add("capstan: replica " + name + " exited with code " + exitCode + "; last line of its log: "
        + (lastLogLine.isEmpty() ? "(empty)" : lastLogLine));
    if (missingPythonModule) {
      lines.add(PYTHON_HINT);
    }
    return lines;
  }

  /** The last non-blank line of a log, and whether any line reported a missing Python module. */
  private record LogTail(String last, boolean missingPythonModule) {
    static LogTail read(InputStream log) {
      String last = "";
      boolean missing = false;
      try (BufferedReader in = new BufferedReader(new InputStreamReader(log, StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          if (!line.isBlank()) {
            last = line.strip();
          }
          missing |= line.contains("ModuleNotFoundError");
        }
      } catch (IOException e) {
        return new LogTail(last.isEmpty() ? "(log unreadable: " + e.getMessage() + ")" : last, missing);
      }
      return new LogTail(last.length() > 300 ? last.substring(0, 300) + "…" : last, missing);
    }
  }
}
