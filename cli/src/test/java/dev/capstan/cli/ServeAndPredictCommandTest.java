package dev.capstan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.serve.ModelServer;
import dev.capstan.serve.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code capstan predict} against a real model server, and {@code capstan serve}'s one-line errors. */
class ServeAndPredictCommandTest {
  private static final Path EXAMPLE = Path.of(System.getProperty("capstan.repo", ".."), "examples", "serving");

  @TempDir Path temp;

  @Test
  void predictPrintsTheResponse() throws Exception {
    try (ModelServer server = ModelServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPorts(0, -1),
        List.of(new ModelServer.ModelSource(EXAMPLE.resolve("iris-mlp"), null)))) {
      String url = "http://127.0.0.1:" + server.httpPort();
      Captured fromFile = capture(() -> Main.run("predict", "--url", url, "--model", "iris-mlp", "-f", EXAMPLE.resolve("request.json").toString()));
      assertEquals(0, fromFile.code(), fromFile.err());
      assertTrue(fromFile.out().contains("\"model_name\":\"iris-mlp\""), fromFile.out());
      assertTrue(fromFile.out().contains("\"shape\":[2,3]"), fromFile.out());

      Captured inline = capture(() -> Main.run("predict", "--url", url, "--model", "iris-mlp", "--data",
          "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}"));
      assertEquals(0, inline.code(), inline.err());

      Captured bad = capture(() -> Main.run("predict", "--url", url, "--model", "nope", "--data", "{}"));
      assertEquals(1, bad.code());
      assertTrue(bad.err().startsWith("error: model server answered 404"), bad.err());
    }
  }

  @Test
  void serveRefusesAMissingOrPickledModel() throws Exception {
    Captured missing = capture(() -> Main.run("serve", "--model-dir", temp.resolve("nope").toString()));
    assertEquals(1, missing.code());
    assertTrue(missing.err().contains("is not a directory"), missing.err());

    Path pickled = Files.createDirectories(temp.resolve("pickled"));
    Files.write(pickled.resolve("model.pkl"), new byte[] {(byte) 0x80, 4});
    Captured refused = capture(() -> Main.run("serve", "--model-dir", pickled.toString(), "--port", "0", "--grpc-port", "-1"));
    assertEquals(1, refused.code());
    assertTrue(refused.err().contains("pickle"), refused.err());
  }

  @Test
  void serveRefusesARepositoryTokenOnTheCommandLine() {
    Captured refused = capture(() -> Main.run("serve", "--model-dir", temp.resolve("nope").toString(), "--repository-token", "s3cret"));
    assertEquals(2, refused.code(), refused.err());
    assertTrue(refused.err().contains("--repository-token-file") && refused.err().contains("CAPSTAN_REPOSITORY_TOKEN"), refused.err());
  }

  @Test
  void serveRefusesConnectionLimitsThatMakeNoSense() throws Exception {
    String dir = Files.createDirectories(temp.resolve("limits")).toString();
    Captured zeroIdle = capture(() -> Main.run("serve", "--model-dir", dir, "--idle-timeout", "0s"));
    assertEquals(2, zeroIdle.code(), zeroIdle.err());
    assertTrue(zeroIdle.err().contains("--idle-timeout must be positive"), zeroIdle.err());
    Captured words = capture(() -> Main.run("serve", "--model-dir", dir, "--header-timeout", "soon"));
    assertEquals(2, words.code(), words.err());
    assertTrue(words.err().contains("--header-timeout must be a duration"), words.err());
    Captured negative = capture(() -> Main.run("serve", "--model-dir", dir, "--max-connections", "-1"));
    assertEquals(2, negative.code(), negative.err());
    assertTrue(negative.err().contains("--max-connections must be at least 1"), negative.err());
  }

  private record Captured(int code, String out, String err) {}

  private static Captured capture(java.util.function.IntSupplier command) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
    try {
      int code = command.getAsInt();
      return new Captured(code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
