package dev.capstan.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry from the command line: register from a directory, move an alias, list and describe. */
class ModelsCommandTest {
  @TempDir Path temp;

  @Test
  void registerAliasListAndDescribe() throws Exception {
    try (LocalCapstan capstan = new LocalCapstan(temp)) {
      Path dir = Files.createDirectories(capstan.work.resolve("iris-model"));
      Files.writeString(dir.resolve("model.onnx"), "not really onnx, but named so");

      LocalCapstan.Result registered = capstan.run("models", "register", "iris", "--from", "iris-model", "--tag", "team=ml").expectSuccess();
      assertTrue(registered.stdout().contains("model/iris version 1 registered (1 files, format onnx)"), registered.stdout());
      capstan.run("models", "register", "iris", "--from", dir.toString()).expectSuccess();

      assertTrue(capstan.run("models", "alias", "set", "iris", "production", "1").expectSuccess().stdout()
          .contains("model/iris@production -> version 1"));
      capstan.run("models", "alias", "set", "iris", "production", "2").expectSuccess();

      LocalCapstan.Result models = capstan.run("get", "models").expectSuccess();
      assertTrue(models.stdout().lines().anyMatch(l -> l.matches("iris\\s+2\\s+2\\s+production=2\\s+.*")), models.stdout());
      LocalCapstan.Result versions = capstan.run("get", "modelversions").expectSuccess();
      assertTrue(versions.stdout().lines().anyMatch(l -> l.matches("iris-1\\s+iris\\s+1\\s+READY\\s+onnx\\s+1\\s+.*")), versions.stdout());

      LocalCapstan.Result described = capstan.run("models", "describe", "iris").expectSuccess();
      assertTrue(described.stdout().contains("Aliases:      production=2"), described.stdout());
      assertTrue(described.stdout().contains("production: (none) -> 1 by "), described.stdout());
      assertTrue(described.stdout().contains("production: 1 -> 2 by "), described.stdout());
    }
  }
}
