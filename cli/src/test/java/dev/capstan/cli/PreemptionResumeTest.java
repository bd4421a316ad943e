package dev.capstan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoint-aware preemption with real processes: a low-priority 3-replica Java training job runs
 * on quota its queue borrowed in a cohort; a high-priority job of the lending queue arrives; the low
 * one gets SIGTERM, checkpoints the step it stands at, goes Preempted then Queued and waits; once
 * the high one has finished it is admitted again and resumes from that step, ending at exactly the
 * planned step with no restart counted; its events say who preempted it and why.
 */
class PreemptionResumeTest {
  private static final String NAMESPACE = "preempt";
  private static final int TOTAL_STEPS = 300;
  private static final int CHECKPOINT_EVERY = 20;

  @TempDir static Path temp;
  static LocalCapstan capstan;

  @BeforeAll
  static void start() throws Exception {
    capstan = new LocalCapstan(temp);
  }

  @AfterAll
  static void stop() {
    capstan.close();
  }

  @Test
  void aPreemptedJobCheckpointsYieldsAndResumesWhereItStood() throws Exception {
    try {
      preemptAndResume();
    } catch (AssertionError e) {
      Path log = capstan.home.resolve("server.log");
      System.out.println("server.log:\n" + (Files.exists(log) ? Files.readString(log) : "(none)"));
      throw e;
    }
  }

  private void preemptAndResume() throws Exception {
    capstan.run("apply", "-f", capstan.manifest("queues.yaml", QUEUES).toString(), "-n", NAMESPACE).expectSuccess();
    capstan.run("apply", "-f", capstan.manifest("low.yaml", lowJob()).toString(), "-n", NAMESPACE).expectSuccess();
    capstan.awaitJob(NAMESPACE, "low", Duration.ofMinutes(3),
        job -> job.path("status").path("metrics").path("step").asDouble() >= 2 * CHECKPOINT_EVERY + 5);
    capstan.run("apply", "-f", capstan.manifest("high.yaml", HIGH).toString(), "-n", NAMESPACE).expectSuccess();

    JsonNode high = capstan.awaitJob(NAMESPACE, "high", Duration.ofMinutes(3),
        j -> List.of("Succeeded", "Failed").contains(j.path("status").path("state").asText()));
    assertEquals("Succeeded", high.path("status").path("state").asText(), high.toString());

    JsonNode low = capstan.awaitJob(NAMESPACE, "low", Duration.ofMinutes(5),
        j -> List.of("Succeeded", "Failed").contains(j.path("status").path("state").asText()));
    JsonNode status = low.path("status");
    assertEquals("Succeeded", status.path("state").asText(), status.toString());
    assertEquals(0, status.path("restartCount").asInt(), "a preemption spends no restart: " + status);
    assertEquals(TOTAL_STEPS, status.path("metrics").path("step").asInt(), status.toString());

    String log = capstan.run("logs", "trainingjob/low", "-n", NAMESPACE, "--replica", "master-0").expectSuccess().stdout();
    Matcher resumed = JavaDdpExample.RESUMED.matcher(log);
    int resumedAt = -1;
    int split = -1;
    while (resumed.find()) {
      resumedAt = Integer.parseInt(resumed.group(1));
      split = resumed.start();
    }
    assertTrue(resumedAt > 0, log);
    String before = log.substring(0, split);
    assertTrue(before.contains("stop requested: checkpointing step " + resumedAt + " and ending"),
        "SIGTERM made rank 0 checkpoint the step it stood at, which the resume starts from: " + before);
    assertEquals(resumedAt, JavaDdpExample.lastStep(before), "no finished step is lost");
    assertEquals(OptionalInt.of(resumedAt + 1), JavaDdpExample.firstStep(log.substring(split)),
        "the step counter continues");
    assertTrue(Files.exists(temp.resolve("model").resolve("model.yaml")));

    String described = capstan.run("describe", "trainingjob", "low", "-n", NAMESPACE).expectSuccess().stdout();
    String events = described.substring(described.indexOf("Events:"));
    String preemption = "preempted by TrainingJob preempt/high (priority 100): Queue prod reclaims the quota Queue research borrowed";
    assertTrue(events.contains("Preempted   " + preemption + "; replicas are writing a checkpoint and stopping")
        && events.contains("Queued      " + preemption + "; queued to be admitted again"), "the events say who preempted whom and why: " + events);
    List<String> reasons = reasons(events);
    assertEquals(List.of("Running", "Preempted", "Queued", "Starting", "Running", "Succeeded"),
        reasons.subList(Math.max(0, reasons.size() - 6), reasons.size()), "ran, was preempted, queued, readmitted and finished: " + events);
  }

  /** The REASON column of a description's events, in order. */
  private static List<String> reasons(String events) {
    return events.lines().skip(2).map(String::trim).filter(line -> !line.isEmpty())
        .map(line -> line.split("\\s+")[2]).toList();
  }

  private static final String QUEUES = """
      apiVersion: capstan.dev/v1alpha1
      kind: Queue
      metadata: {name: research}
      spec:
        namespaces: [preempt]
        cohort: shared
        resources: {cpu: {nominalQuota: "0"}}
      ---
      apiVersion: capstan.dev/v1alpha1
      kind: Queue
      metadata: {name: prod}
      spec:
        namespaces: [preempt]
        cohort: shared
        resources: {cpu: {nominalQuota: 1500m}}
        preemption: {reclaimWithinCohort: Any}
      """;

  private static final String HIGH = """
      apiVersion: capstan.dev/v1alpha1
      kind: TrainingJob
      metadata: {name: high}
      spec:
        framework: generic
        queue: prod
        priority: 100
        replicas:
          main:
            count: 1
            template: {spec: {containers: [{name: main, command: [sleep, "5"], resources: {requests: {cpu: 700m}}}]}}
      """;

  /** The java-ddp example in queue research at priority 0, started from this build, slowed down to be preempted mid-way. */
  private static String lowJob() throws IOException {
    String text = JavaDdpExample.forThisBuild(temp, CHECKPOINT_EVERY, ", \"--steps\", \"" + TOTAL_STEPS
            + "\", \"--step-delay-ms\", \"200\", \"--timeout\", \"10\"")
        .replace("name: java-ddp", "name: low")
        .replace("  framework: pytorch\n", "  framework: pytorch\n  queue: research\n  priority: 0\n");
    assertTrue(text.contains("queue: research"), text);
    return text;
  }
}
