package dev.capstan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.codec.Manifests;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How queues read: usage against quota in the list; the quotas and the jobs in line in the description; a job's place. */
class QueueViewsTest {
  private static final String QUEUE = """
      {"metadata": {"name": "research"},
       "spec": {"namespaces": ["team-a"], "cohort": "shared", "resources": {"cpu": {"nominalQuota": "4", "borrowingLimit": "2"}}},
       "status": {"pendingWorkloads": 1, "admittedWorkloads": 2, "usage": {"cpu": "6"}, "borrowed": {"cpu": "2"}}}
      """;
  private static final String WAITING = """
      {"metadata": {"name": "second", "namespace": "team-a"},
       "status": {"state": "Queued", "queue": "research", "queuePosition": 1, "message": "waiting for quota: cpu 2 > 0 left in the queue"}}
      """;

  @Test
  void theListShowsUsageAgainstQuota() throws Exception {
    String out = print(o -> QueueViews.list(List.of(json(QUEUE))).print(o));
    assertTrue(out.contains("research"), out);
    assertTrue(out.contains("cpu 6/4"), out);
    assertTrue(out.contains("cpu 2"), out);
  }

  @Test
  void theDescriptionListsQuotasAndTheLine() throws Exception {
    String out = print(o -> QueueViews.describe(json(QUEUE), List.of(json(WAITING)), o));
    assertTrue(out.contains("Namespaces:   team-a"), out);
    assertTrue(out.matches("(?s).*cpu\\s+4\\s+2\\s+-\\s+6\\s+2.*"), out);
    assertTrue(out.matches("(?s).*team-a/second\\s+Queued\\s+1\\s+waiting for quota.*"), out);
    assertEquals("research, position 1 in line", QueueViews.place(json(WAITING)));
    assertEquals("-", QueueViews.place(json("{\"status\": {}}")));
  }

  private static JsonNode json(String text) {
    try {
      return Manifests.json().readTree(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String print(java.util.function.Consumer<PrintStream> printer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    printer.accept(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
