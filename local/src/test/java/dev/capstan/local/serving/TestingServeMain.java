package dev.capstan.local.serving;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A stand-in for {@code capstan serve} (argv {@code serve --model-dir D --name N --host H --port P
 * --grpc-port G}): answers {@code /v2/health/ready} on P, and exits 1 with a last log line when
 * the model directory holds a file named {@code broken}, as serve does for a model it cannot open.
 */
public final class TestingServeMain {
  private TestingServeMain() {}

  public static void main(String[] args) throws Exception {
    Path modelDir = Path.of(args[2]);
    int port = Integer.parseInt(args[8]);
    if (Files.exists(modelDir.resolve("broken"))) {
      System.err.println("error: cannot serve " + modelDir + ": the model file is not a valid ONNX model");
      System.exit(1);
    }
    HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
    http.createContext("/v2/health/ready", ex -> {
      byte[] body = "{\"ready\":true}".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    http.start();
    System.out.println("capstan-serve ready rest=" + port);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      http.stop(0);
      stopped.countDown();
    }));
    stopped.await();
  }
}
