package dev.capstan.local.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.local.OwnerOnly;
import dev.capstan.local.process.LaunchCommand;
import dev.capstan.local.process.PortAllocator;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standby's process ends with the server that started it while it waits, also when its slot or
 * the whole home is gone before the server, or when the server was killed in the middle of a take;
 * it runs on once taken as a replica. Its server here is a stand-in process the test ends.
 */
class StandbyWatchTest {
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  @TempDir Path home;
  private final List<Process> started = new java.util.ArrayList<>();

  private Path slot;
  private Process server;
  private Process standby;
  private ProcessHandle java;

  @AfterEach
  void endAll() {
    started.forEach(p -> {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    });
  }

  /** A stand-in server and a standby of it, its record in its slot, its server process started. */
  @BeforeEach
  void startStandby() throws Exception {
    slot = Files.createDirectories(home.resolve("serving/standby/standby-test"));
    Path record = Files.writeString(slot.resolve("standby.json"), "{}");
    server = start(List.of("sleep", "600"));
    standby = start(standby(record, server).argv());
    java = awaitJava(standby);
  }

  @Test
  void aWaitingStandbyEndsWithItsServer() throws Exception {
    assertEndsWithItsServer("the standby ends once its server is gone");
  }

  @Test
  void aStandbyWhoseHomeWasDeletedStillEndsWithItsServer() throws Exception {
    ModelCopies.deleteTree(home.resolve("serving")); // its record and slot gone, as with a home removed
    assertTrue(Files.notExists(slot), "the slot is gone");
    assertEndsWithItsServer("the standby ends once its server is gone, its record gone or not");
  }

  @Test
  void aStandbyWhoseTakeWasCutShortEndsWithItsServer() throws Exception {
    OwnerOnly.file(StandbyReplicas.takenMarker(slot)); // the server killed after the marker, before the move
    assertEndsWithItsServer("a standby never handed over ends with its server");
  }

  @Test
  void aTakenStandbyOutlivesItsServerAndKeepsItsExitCode() throws Exception {
    Path replica = home.resolve("serving/runtime/default/svc/svc-predictor-00001/0");
    StandbyReplicas.handOver(slot, replica);
    assertTrue(Files.exists(replica.resolve("standby.json")) && Files.isDirectory(slot), "moved, its mailbox made again");
    Thread.sleep(3_000); // longer than the watch's poll, so it has seen the take
    server.destroyForcibly().waitFor();
    Thread.sleep(3_000);
    assertTrue(java.isAlive(), "a replica runs on for the next server");
    java.destroyForcibly();
    assertEquals(137, standby.waitFor(), "the server's exit code is the watch's");
  }

  /** Kills the stand-in server; the standby's process must then end by its watch's SIGTERM. */
  private void assertEndsWithItsServer(String why) throws Exception {
    server.destroyForcibly().waitFor();
    await(() -> !java.isAlive(), why);
    assertEquals(143, standby.waitFor(), "it was sent SIGTERM");
  }

  private LaunchCommand standby(Path record, Process server) throws Exception {
    ServeLaunch launch = new ServeLaunch(ProcessHandle.current().info().command().orElse("java"),
        System.getProperty("java.class.path"), TestingServeMain.class.getName(), null);
    PortAllocator ports = new PortAllocator();
    Path token = Files.writeString(home.resolve("token"), "t");
    Optional<ServerIdentity> identity = ServerIdentity.of(server.pid());
    assertTrue(identity.isPresent(), "/proc names the stand-in server");
    return launch.standby("standby-test", record, StandbyReplicas.takenMarker(slot), token,
        Files.createDirectories(home.resolve("models")), ports.allocate(), ports.allocate(), home.resolve("standby.log"), identity);
  }

  private Process start(List<String> argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(home.resolve("out-" + started.size()).toFile())
        .redirectInput(new File("/dev/null")).start();
    started.add(p);
    return p;
  }

  private static ProcessHandle awaitJava(Process watch) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<ProcessHandle> java = watch.descendants().filter(h -> h.info().command().map(c -> c.endsWith("java")).orElse(false))
          .findFirst();
      if (java.isPresent()) {
        return java.get();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the standby's server did not start");
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(what);
  }
}
