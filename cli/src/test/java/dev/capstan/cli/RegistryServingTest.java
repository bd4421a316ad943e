package dev.capstan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.codec.Manifests;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registry-driven serving end to end, through the real CLI, server, gateway and replica processes:
 * an InferenceService following {@code models:/mlp@production} serves the version the alias points
 * at; moving the alias under continuous load rolls out a new revision with no failed request and
 * drains the old one to zero; what a live service uses cannot be deleted, and a deleted version is
 * never served; lineage shows the serving revision; with a canary, an alias move rolls out through
 * it. One server and one service, step by step.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryServingTest {
  private static final String SERVICE = "mlp";

  @TempDir static Path temp;
  static ServingFixture f;
  static String url;

  @BeforeAll
  static void registerTwoVersions() throws Exception {
    f = new ServingFixture(temp);
    for (String version : new String[] {"1", "2"}) {
      String registered = f.capstan.run("models", "register", SERVICE, "--from", f.model(version, false).toString())
          .expectSuccess().stdout();
      assertTrue(registered.contains("model/mlp version " + version + " registered (2 files, format onnx)"), registered);
    }
    f.capstan.run("models", "alias", "set", SERVICE, "production", "1").expectSuccess();
  }

  @AfterAll
  static void stop() {
    if (f != null) {
      f.close();
    }
  }

  @Test
  @Order(1)
  void aServiceFollowingAnAliasServesTheVersionItPointsAt() throws Exception {
    url = f.capstan.run("run", "-f", manifest(SERVICE, "", "models:/mlp@production").toString()).expectSuccess().stdout().strip();
    HttpResponse<String> answer = f.infer(url, SERVICE);
    assertEquals(200, answer.statusCode(), answer.body());
    assertEquals("1", ServingFixture.versionOf(answer));

    JsonNode first = ServingFixture.revision(f.service(SERVICE), "mlp-predictor-00001");
    assertEquals("1", first.path("modelVersion").asText(), first.toString());
    assertEquals("models:/mlp/1", first.path("storageUri").asText(), "the reference pinned to the version it resolved to");
    String described = f.capstan.run("describe", "isvc", SERVICE).expectSuccess().stdout();
    assertTrue(described.contains("models:/mlp@production") && described.contains("models:/mlp/1"), described);
  }

  @Test
  @Order(2)
  void movingTheAliasUnderLoadRollsOutTheNewVersionWithoutAFailedRequest() throws Exception {
    try (ServingFixture.Load load = f.new Load(url, SERVICE, 4)) {
      awaitAnswers(load, 20);
      f.capstan.run("models", "alias", "set", SERVICE, "production", "2").expectSuccess();
      Instant moved = Instant.now();
      JsonNode rolled = f.await(SERVICE, s -> ServingFixture.traffic(s, "mlp-predictor-00002") == 100);
      Duration toTraffic = Duration.between(moved, Instant.now());
      JsonNode second = ServingFixture.revision(rolled, "mlp-predictor-00002");
      Duration toRevision = Duration.between(moved, Instant.parse(second.path("createdAt").asText()));
      assertEquals("2", second.path("modelVersion").asText(), second.toString());
      assertEquals("models:/mlp/2", second.path("storageUri").asText());
      assertEquals("1", ServingFixture.revision(rolled, "mlp-predictor-00001").path("modelVersion").asText(), rolled.toString());

      JsonNode drained = f.await(SERVICE, s -> {
        JsonNode old = ServingFixture.revision(s, "mlp-predictor-00001");
        return old.path("desiredReplicas").asInt(-1) == 0 && old.path("readyReplicas").asInt(-1) == 0;
      });
      assertEquals(0, ServingFixture.traffic(drained, "mlp-predictor-00001"));
      awaitAnswers(load, load.ok.get() + 20);
      assertEquals("2", ServingFixture.versionOf(f.infer(url, SERVICE)));
      load.close();
      assertEquals(0, load.failed.get(), "failed requests during the alias move: " + load.failures.stream().limit(5).toList());
      System.out.println("alias move under load: after 'alias set' returned, revision 00002 was created in "
          + toRevision.toMillis() + " ms and took all traffic in " + toTraffic.toMillis() + " ms; " + load.ok.get()
          + " requests answered, none failed");
    }
  }

  @Test
  @Order(3)
  void whatALiveServiceUsesIsNotDeletedAndADeletedVersionIsNeverServed() throws Exception {
    LocalCapstan.Result version = f.capstan.run("models", "delete", SERVICE, "--version", "2");
    assertNotEquals(0, version.exitCode(), version.stdout());
    assertTrue(version.stderr().contains("used by InferenceService mlp"), version.stderr());
    LocalCapstan.Result alias = f.capstan.run("models", "alias", "delete", SERVICE, "production");
    assertNotEquals(0, alias.exitCode(), alias.stdout());
    assertTrue(alias.stderr().contains("used by InferenceService mlp"), alias.stderr());
    LocalCapstan.Result model = f.capstan.run("models", "delete", SERVICE);
    assertNotEquals(0, model.exitCode(), model.stdout());
    assertTrue(model.stderr().contains("InferenceService mlp"), model.stderr());

    // Version 1 is served by no live revision any more (the old one is retired at zero): it may go.
    f.capstan.run("models", "delete", SERVICE, "--version", "1").expectSuccess();
    LocalCapstan.Result pinned = f.capstan.run("run", "-f", manifest("pinned", "", "models:/mlp/1").toString());
    String why = "the model source cannot be resolved: version 1 of model default/mlp not found";
    assertNotEquals(0, pinned.exitCode(), pinned.stdout());
    assertTrue(pinned.stderr().contains(why), pinned.stderr());
    JsonNode refused = f.service("pinned");
    assertEquals("Failed", refused.path("status").path("state").asText(), refused.toString());
    assertEquals(why, refused.path("status").path("message").asText());
    assertEquals(0, refused.path("status").path("revisions").size(), "no revision for a deleted version: " + refused);
    assertTrue(ServingFixture.replicaProcesses("pinned").isEmpty(), "nothing starts for a deleted version");
    assertTrue(f.capstan.run("describe", "isvc", "pinned").expectSuccess().stdout().contains(why));
    f.capstan.run("delete", "isvc", "pinned", "--timeout", "120s").expectSuccess();
  }

  @Test
  @Order(4)
  void lineageOfTheAliasShowsTheRevisionServingIt() {
    String tree = f.capstan.run("lineage", "model/mlp@production").expectSuccess().stdout();
    assertTrue(tree.startsWith("modelversion mlp/2  READY  @production"), tree);
    assertTrue(tree.contains("served by isvc mlp  revision mlp-predictor-00002  Ready  100% traffic"), tree);
    assertFalse(tree.contains("mlp-predictor-00001"), "the retired revision serves version 1, not this one:\n" + tree);
  }

  @Test
  @Order(5)
  void withACanaryAnAliasMoveRollsOutThroughIt() throws Exception {
    String registered = f.capstan.run("models", "register", SERVICE, "--from", f.model("3", false).toString()).expectSuccess().stdout();
    assertTrue(registered.contains("model/mlp version 3 registered"), "numbers are never reused: " + registered);
    try (ServingFixture.Load load = f.new Load(url, SERVICE, 4)) {
      f.capstan.run("apply", "-f", manifest(SERVICE, "canaryTrafficPercent: 30", "models:/mlp@production").toString()).expectSuccess();
      f.await(SERVICE, s -> s.path("status").path("observedGeneration").asLong() == s.path("metadata").path("generation").asLong());
      f.capstan.run("models", "alias", "set", SERVICE, "production", "3").expectSuccess();
      JsonNode split = f.await(SERVICE, s -> ServingFixture.traffic(s, "mlp-predictor-00003") == 30
          && ServingFixture.traffic(s, "mlp-predictor-00002") == 70);
      assertEquals("3", ServingFixture.revision(split, "mlp-predictor-00003").path("modelVersion").asText(), split.toString());
      Set<String> answered = new HashSet<>();
      for (int i = 0; i < 60 && answered.size() < 2; i++) {
        HttpResponse<String> r = f.infer(url, SERVICE);
        assertEquals(200, r.statusCode(), r.body());
        answered.add(ServingFixture.versionOf(r));
      }
      assertEquals(Set.of("2", "3"), answered, "both the canary and the rolled-out version answer");

      // Promotion (no canary field): the new version takes all traffic and the old revision drains to zero.
      f.capstan.run("apply", "-f", manifest(SERVICE, "", "models:/mlp@production").toString()).expectSuccess();
      f.await(SERVICE, s -> ServingFixture.traffic(s, "mlp-predictor-00003") == 100
          && ServingFixture.revision(s, "mlp-predictor-00002").path("readyReplicas").asInt(-1) == 0
          && ServingFixture.revision(s, "mlp-predictor-00002").path("desiredReplicas").asInt(-1) == 0);
      load.close();
      assertEquals(0, load.failed.get(), "failed requests during the canary: " + load.failures.stream().limit(5).toList());
      JsonNode last = f.service(SERVICE);
      assertEquals("mlp-predictor-00003", last.path("status").path("components").path("predictor").path("latestCreatedRevision").asText(),
          "the canary and its promotion made no other revision: " + Manifests.toYaml(last));
    }
  }

  private static Path manifest(String name, String canary, String storageUri) throws Exception {
    return f.capstan.manifest(name + ".yaml", ServingFixture.inferenceService(name, canary, storageUri));
  }

  /** Waits until the load has had at least {@code count} answers, so it runs before and after a change. */
  private static void awaitAnswers(ServingFixture.Load load, long count) throws InterruptedException {
    long deadline = System.nanoTime() + ServingFixture.PATIENCE.toNanos();
    while (load.ok.get() < count && load.failed.get() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(load.ok.get() >= count, "the load got " + load.ok.get() + " answers; failures: " + load.failures.stream().limit(5).toList());
  }
}
