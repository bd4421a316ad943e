package dev.capstan.cli;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** Base of end-to-end test classes: one Capstan home and one background server per class. */
abstract class LocalServerTest {
  @TempDir static Path temp;
  static LocalCapstan capstan;

  @BeforeAll
  static void startServer() throws Exception {
    capstan = new LocalCapstan(temp);
    capstan.run("up").expectSuccess();
  }

  @AfterAll
  static void stopServer() {
    capstan.close();
  }

  /** For classes whose server needs its own environment (capacity overrides, say). */
  static void restartWith(Map<String, String> env) throws Exception {
    capstan.close();
    capstan = new LocalCapstan(temp.resolve("custom"), env);
    capstan.run("up").expectSuccess();
  }
}
