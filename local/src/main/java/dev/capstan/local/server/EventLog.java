package dev.capstan.local.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.core.ports.EventSink;
import dev.capstan.local.OwnerOnly;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Events per object, appended to {@code events/<kind>/<ns>/<name>.jsonl} (owner-only); also logged. */
public final class EventLog implements EventSink {
  private final Path root;

  public EventLog(Path root) {
    this.root = root;
  }

  @Override
  public synchronized void record(String object, EventType type, String reason, String message) {
    ObjectNode event = Manifests.json().createObjectNode()
        .put("time", Instant.now().toString()).put("type", type.name()).put("reason", reason).put("message", message);
    System.err.println(Instant.now() + " " + object + " " + type + " " + reason + ": " + message);
    try {
      Path file = file(object);
      OwnerOnly.directories(file.getParent());
      try (FileChannel out = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND), OwnerOnly.fileMode())) {
        out.write(ByteBuffer.wrap((event + "\n").getBytes(StandardCharsets.UTF_8)));
      }
    } catch (IOException e) {
      System.err.println("cannot record event for " + object + ": " + e.getMessage());
    }
  }

  public synchronized List<JsonNode> list(String object) {
    List<JsonNode> events = new ArrayList<>();
    Path file = file(object);
    if (!Files.exists(file)) {
      return events;
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          events.add(Manifests.json().readTree(line));
        }
      }
    } catch (IOException e) {
      // a torn last line after a crash is skipped
    }
    return events;
  }

  public synchronized void forget(String object) {
    try {
      Files.deleteIfExists(file(object));
    } catch (IOException e) {
      // nothing to do: the file is only informational
    }
  }

  /** {@code "TrainingJob ns/name"} → {@code events/TrainingJob/ns/name.jsonl}. */
  private Path file(String object) {
    String[] kindAndRef = object.split(" ", 2);
    String[] nsAndName = kindAndRef[1].split("/", 2);
    return root.resolve(kindAndRef[0]).resolve(nsAndName[0]).resolve(nsAndName[1] + ".jsonl");
  }
}
