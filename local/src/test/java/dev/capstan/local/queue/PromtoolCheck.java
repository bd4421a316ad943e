package dev.capstan.local.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs {@code promtool check metrics} over an exposition; skips (with a message) where promtool is not installed. */
final class PromtoolCheck {
  private PromtoolCheck() {}

  static void assertValid(String exposition) throws Exception {
    Path promtool = System.getenv("PATH") == null ? null : java.util.Arrays.stream(System.getenv("PATH").split(":"))
        .map(dir -> Path.of(dir, "promtool")).filter(Files::isExecutable).findFirst().orElse(null);
    Assumptions.assumeTrue(promtool != null, "promtool is not on the PATH: the metrics' format is not checked by it");
    Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
    p.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    assertEquals(0, p.exitValue(), "promtool check metrics:\n" + out + "\nover:\n" + exposition);
  }
}
