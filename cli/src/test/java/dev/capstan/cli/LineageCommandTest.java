package dev.capstan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.codec.Manifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A finished Java training job ({@code capstan train} writing to {@code $CAPSTAN_OUTPUT_DIR}) registers
 * its model with exact lineage, and {@code capstan lineage} shows the chain forwards from the model
 * and backwards from the job, also after the job is deleted.
 */
class LineageCommandTest {
  private static final String NAMESPACE = "lineage";
  @TempDir Path temp;

  @Test
  void aJavaJobsOutputIsRegisteredAndItsLineageOutlivesTheJob() throws Exception {
    try (LocalCapstan capstan = new LocalCapstan(temp)) {
      Path notes = Files.writeString(capstan.work.resolve("notes.txt"), "digits, 8x8, as shipped\n");
      capstan.run("apply", "-n", NAMESPACE, "-f", capstan.manifest("train.yaml", manifest(notes)).toString()).expectSuccess();
      JsonNode job = capstan.awaitJob(NAMESPACE, "train-digits", Duration.ofMinutes(3),
          j -> List.of("Succeeded", "Failed").contains(j.path("status").path("state").asText()));
      assertEquals("Succeeded", job.path("status").path("state").asText(), job.toString());

      JsonNode version = awaitReady(capstan);
      JsonNode lineage = version.path("spec").path("lineage");
      assertEquals(job.path("metadata").path("uid").asText(), lineage.at("/job/uid").asText());
      assertEquals("train-digits", lineage.at("/job/name").asText());
      assertEquals(NAMESPACE, lineage.at("/job/namespace").asText());
      assertEquals(1, lineage.at("/job/generation").asLong());
      assertEquals(64, lineage.at("/job/specSha256").asText().length());
      assertEquals("pytorch", lineage.at("/framework").asText());
      assertEquals(job.path("status").path("metrics"), lineage.path("metrics"), "the job's final metrics");
      assertEquals(job.path("status").path("startTime").asText(), lineage.at("/startTime").asText());
      assertEquals(job.path("status").path("completionTime").asText(), lineage.at("/completionTime").asText());
      assertEquals(sha256(Files.readAllBytes(notes)), lineage.at("/inputs/0/sha256").asText());
      assertTrue(version.path("status").path("files").findValuesAsText("path").contains("model.yaml"), version.toString());
      assertEquals("capstan-djl", version.path("status").path("format").asText());

      String tree = capstan.run("lineage", "model/digits/1", "-n", NAMESPACE).expectSuccess().stdout();
      assertTrue(tree.startsWith("modelversion digits/1  READY"), tree);
      assertTrue(tree.contains("from trainingjob " + NAMESPACE + "/train-digits  uid " + job.path("metadata").path("uid").asText()), tree);
      assertTrue(tree.contains("input " + notes + "  sha256:" + sha256(Files.readAllBytes(notes)).substring(0, 12)), tree);

      capstan.run("delete", "trainingjob", "train-digits", "-n", NAMESPACE).expectSuccess();
      capstan.run("wait", "--for=delete", "trainingjob/train-digits", "-n", NAMESPACE, "--timeout", "120s").expectSuccess();
      JsonNode fromJob = Manifests.json().readTree(
          capstan.run("lineage", "trainingjob/train-digits", "-n", NAMESPACE, "-o", "json").expectSuccess().stdout());
      assertEquals(lineage, fromJob.at("/versions/0/lineage"), "a copy in the version, after the job is gone");
      LocalCapstan.Result missing = capstan.run("lineage", "model/digits@production", "-n", NAMESPACE);
      assertEquals(1, missing.exitCode(), missing.stderr());
      assertTrue(missing.stderr().contains("has no alias 'production'"), missing.stderr());
    }
  }

  private static JsonNode awaitReady(LocalCapstan capstan) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (true) {
      LocalCapstan.Result r = capstan.run("get", "modelversions", "digits-1", "-n", NAMESPACE, "-o", "json");
      if (r.exitCode() == 0) {
        JsonNode v = Manifests.json().readTree(r.stdout());
        if (!v.path("status").path("state").asText("PENDING_REGISTRATION").equals("PENDING_REGISTRATION")) {
          assertEquals("READY", v.path("status").path("state").asText(), v.toString());
          return v;
        }
      }
      assertTrue(System.nanoTime() < deadline, "digits-1 not registered in 2 minutes: " + r.stderr());
      Thread.sleep(500);
    }
  }

  private static String manifest(Path notes) {
    return """
        apiVersion: capstan.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: train-digits}
        spec:
          framework: pytorch
          output: {model: digits}
          inputs: [%s]
          replicas:
            master:
              template:
                spec:
                  containers:
                    - name: pytorch
                      command: [%s, "-Dai.djl.offline=true", "-cp", %s, "dev.capstan.cli.Main", "train"]
                      args: ["--data", "digits", "--model", "mlp", "--steps", "20", "--batch-size", "32", "--log-every", "5"]
                      env: [{name: OPT_OUT_TRACKING, value: "true"}]
        """.formatted(Jobs.quote(notes.toString()), Jobs.quote(LocalCapstan.javaBinary()), Jobs.quote(System.getProperty("java.class.path")));
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
