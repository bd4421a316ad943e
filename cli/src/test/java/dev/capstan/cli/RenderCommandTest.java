package dev.capstan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code capstan render} prints cluster objects without any control plane or cluster. */
class RenderCommandTest {
  @Test
  void rendersThePyTorchExampleAsServicesAndPods() {
    Path example = Path.of(System.getProperty("capstan.repo", "..")).resolve("examples/training/pytorch-ddp.yaml");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream previous = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = new CommandLine(new CapstanCommand()).execute("render", "-f", example.toString(), "-n", "team-a");
    } finally {
      System.setOut(previous);
    }
    String yaml = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, yaml);
    assertTrue(yaml.contains("kind: \"Service\"") && yaml.contains("kind: \"Pod\""), yaml);
    assertTrue(yaml.contains("namespace: \"team-a\""), yaml);
    assertTrue(yaml.contains("MASTER_ADDR"), yaml);
    assertTrue(!yaml.contains("capstan.dev/manifest-dir"), "local-only annotations are not rendered");
  }
}
