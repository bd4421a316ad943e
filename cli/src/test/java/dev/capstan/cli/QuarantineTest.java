package dev.capstan.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A corrupt store file does not keep the server from starting; {@code capstan get} names it. */
class QuarantineTest {
  @TempDir Path temp;

  @Test
  void getReportsTheSetAsideFileWithItsPathAndReason() throws Exception {
    try (LocalCapstan capstan = new LocalCapstan(temp)) {
      Path corrupt = capstan.home.resolve("store/trainingjobs/default/broken.json");
      Files.createDirectories(corrupt.getParent());
      Files.writeString(corrupt, "");

      LocalCapstan.Result get = capstan.run("get", "trainingjobs").expectSuccess();
      assertTrue(get.stderr().contains("warning: stored object trainingjobs/default/broken.json could not be read "
          + "(the file is empty) and was set aside at " + capstan.home.resolve("store/.quarantine/trainingjobs/default/broken.json")),
          get.stderr());
    }
  }
}
