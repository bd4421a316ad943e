package dev.capstan.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.local.LocalPaths;
import dev.capstan.local.server.LocalControlPlane;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that holds its home is found even when it is too busy to answer a health check in
 * time, so the CLI waits for it instead of starting a second one.
 */
class ServerConnectionTest {
  @TempDir Path home;

  @Test
  void aRunningServerIsKnownByTheLockItHolds() {
    LocalPaths paths = new LocalPaths(home);
    assertFalse(ServerConnection.serverHoldsTheHome(paths), "no server has run here yet");
    try (LocalControlPlane plane = LocalControlPlane.start(paths, 0)) {
      assertTrue(ServerConnection.serverHoldsTheHome(paths), "the running server holds the home");
    }
    assertFalse(ServerConnection.serverHoldsTheHome(paths), "a stopped server holds nothing");
  }
}
