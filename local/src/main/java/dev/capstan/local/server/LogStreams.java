package dev.capstan.local.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.capstan.api.codec.Manifests;
import dev.capstan.api.training.ReplicaId;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.api.validation.InvalidSpecException;
import dev.capstan.core.training.TrainingJobState;
import dev.capstan.local.LocalPaths;
import dev.capstan.local.store.FileResourceStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Serves replica logs: one replica's (default the rank-0 one) or every replica's with a
 * {@code [role-i]} prefix per line; with {@code follow=true} it keeps streaming until the job
 * finishes or is deleted, like {@code kubectl logs -f}.
 */
final class LogStreams {
  private static final long POLL_MILLIS = 100;

  private final LocalPaths paths;
  private final FileResourceStore store;

  LogStreams(LocalPaths paths, FileResourceStore store) {
    this.paths = paths;
    this.store = store;
  }

  /** One followed file: where we are in it and any partial line not yet sent. */
  private static final class Followed {
    final Path file;
    final String prefix;
    long offset;
    final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    Followed(Path file, String prefix) {
      this.file = file;
      this.prefix = prefix;
    }
  }

  void stream(HttpExchange ex, ObjectNode job, Map<String, String> query) throws IOException {
    TrainingJob typed = Manifests.json().convertValue(job, TrainingJob.class);
    String ns = typed.getMetadata().getNamespace();
    String name = typed.getMetadata().getName();
    List<Followed> files = files(typed, query);
    boolean follow = Boolean.parseBoolean(query.getOrDefault("follow", "false"));
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(200, 0);
    try (OutputStream out = ex.getResponseBody()) {
      while (true) {
        boolean finished = !follow || finished(ns, name);
        for (Followed f : files) {
          pump(f, out);
        }
        out.flush();
        if (finished) {
          for (Followed f : files) {
            if (f.partial.size() > 0) {
              out.write(f.prefix.getBytes(StandardCharsets.UTF_8));
              f.partial.writeTo(out);
              out.write('\n');
            }
          }
          return;
        }
        sleep();
      }
    } catch (IOException e) {
      // the client went away; nothing to clean up
    }
  }

  private List<Followed> files(TrainingJob job, Map<String, String> query) {
    String ns = job.getMetadata().getNamespace();
    String name = job.getMetadata().getName();
    List<Followed> files = new ArrayList<>();
    if (Boolean.parseBoolean(query.getOrDefault("all", "false"))) {
      for (ReplicaId id : replicas(job)) {
        files.add(new Followed(paths.replicaLog(ns, name, id.shortName()), "[" + id.shortName() + "] "));
      }
      return files;
    }
    String replica = query.get("replica");
    ReplicaId id;
    try {
      id = replica == null || replica.isBlank() ? TrainingJobModel.from(job).rankZero() : ReplicaId.parseShort(replica);
    } catch (IllegalArgumentException e) {
      throw new HttpExchanges.ClientError(400, e.getMessage());
    } catch (InvalidSpecException e) {
      throw new HttpExchanges.ClientError(400, "the job's spec is invalid: " + e.getMessage());
    }
    if (!replicas(job).contains(id)) {
      throw new HttpExchanges.ClientError(404, "the job has no replica " + id.shortName() + " (replicas: "
          + String.join(", ", replicas(job).stream().map(ReplicaId::shortName).toList()) + ")");
    }
    files.add(new Followed(paths.replicaLog(ns, name, id.shortName()), ""));
    return files;
  }

  private static List<ReplicaId> replicas(TrainingJob job) {
    try {
      return TrainingJobModel.from(job).replicas();
    } catch (InvalidSpecException e) {
      return List.of();
    }
  }

  private boolean finished(String ns, String name) {
    Optional<ObjectNode> now = store.get(TrainingJob.PLURAL, ns, name);
    if (now.isEmpty() || now.get().path("metadata").has("deletionTimestamp")) {
      return true;
    }
    return TrainingJobState.parse(now.get().path("status").path("state").asText(null)).isTerminal();
  }

  private static void pump(Followed f, OutputStream out) throws IOException {
    if (!Files.exists(f.file)) {
      return;
    }
    try (RandomAccessFile raf = new RandomAccessFile(f.file.toFile(), "r")) {
      long length = raf.length();
      if (length < f.offset) {
        f.offset = 0;
      }
      while (f.offset < length) {
        byte[] chunk = new byte[(int) Math.min(64 * 1024, length - f.offset)];
        raf.seek(f.offset);
        raf.readFully(chunk);
        f.offset += chunk.length;
        for (byte b : chunk) {
          f.partial.write(b);
          if (b == '\n') {
            out.write(f.prefix.getBytes(StandardCharsets.UTF_8));
            f.partial.writeTo(out);
            f.partial.reset();
          }
        }
      }
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
