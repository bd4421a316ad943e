package dev.capstan.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code capstan fetch URI DIR}: a directory, a file and an HTTP download placed whole; refusals leave DIR as it was. */
class FetchCommandTest {
  private static final Path MODEL = Path.of(System.getProperty("capstan.repo", ".."), "examples", "serving", "iris-mlp");

  @TempDir Path temp;

  @Test
  void placesADirectoryAFileAndADownload() throws Exception {
    InProcessCli.Outcome dir = InProcessCli.run("fetch", MODEL.toString(), temp.resolve("a").toString());
    assertEquals(0, dir.exitCode(), dir.err());
    assertArrayEquals(Files.readAllBytes(MODEL.resolve("model.onnx")), Files.readAllBytes(temp.resolve("a/model.onnx")));
    assertTrue(Files.exists(temp.resolve("a/model.yaml")));

    Files.createDirectories(temp.resolve("mount"));
    InProcessCli.Outcome file = InProcessCli.run("fetch", MODEL.resolve("model.onnx").toUri().toString(), temp.resolve("mount").toString());
    assertEquals(0, file.exitCode(), file.err());
    assertTrue(Files.exists(temp.resolve("mount/model.onnx")), "an empty directory (a mount point) is filled in place");

    HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
    byte[] body = Files.readAllBytes(MODEL.resolve("model.onnx"));
    http.createContext("/models/model.onnx", ex -> {
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    http.start();
    try {
      String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/models/model.onnx";
      InProcessCli.Outcome refused = InProcessCli.run("fetch", url, temp.resolve("b").toString());
      assertEquals(2, refused.exitCode(), refused.err());
      assertFalse(Files.exists(temp.resolve("b")), "a refused fetch leaves nothing");
      InProcessCli.Outcome allowed = InProcessCli.run("fetch", "--allow-private-sources", url, temp.resolve("b").toString());
      assertEquals(0, allowed.exitCode(), allowed.err());
      assertArrayEquals(body, Files.readAllBytes(temp.resolve("b/model.onnx")));
    } finally {
      http.stop(0);
    }
  }

  @Test
  void refusesWhatItCannotPlaceWithOneLine() throws Exception {
    Files.createDirectories(temp.resolve("full"));
    Files.writeString(temp.resolve("full/keep.txt"), "mine");
    InProcessCli.Outcome full = InProcessCli.run("fetch", MODEL.toString(), temp.resolve("full").toString());
    assertEquals(2, full.exitCode());
    assertTrue(full.err().contains("must be absent or an empty directory"), full.err());
    assertEquals("mine", Files.readString(temp.resolve("full/keep.txt")));

    InProcessCli.Outcome registry = InProcessCli.run("fetch", "models:/iris@production", temp.resolve("r").toString());
    assertEquals(2, registry.exitCode());
    assertTrue(registry.err().contains("models: sources are not supported here yet"), registry.err());

    InProcessCli.Outcome missing = InProcessCli.run("fetch", temp.resolve("nope").toString(), temp.resolve("m").toString());
    assertEquals(2, missing.exitCode());
    assertTrue(missing.err().contains("does not exist"), missing.err());
    assertFalse(Files.exists(temp.resolve("m")));
  }
}
