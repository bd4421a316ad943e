package dev.capstan.local.serving;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.capstan.api.codec.Manifests;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * A stand-in for {@code capstan serve} (argv {@code serve [--model-dir D --name N]
 * [--repository-token-file F --model-root R] --host H --port P --grpc-port G}): answers
 * {@code /v2/health/ready} and {@code /v2/models/{name}/ready} on P, and {@code /testing/pid} with
 * its own PID. It exits 1 with a last log line when the model directory holds a file named
 * {@code broken}, as serve does for a model it cannot open. With a token file it takes
 * {@code POST /v2/repository/models/{name}/load} (and {@code unload}) calls carrying that token for a
 * {@code storage_uri} under R, refusing a broken model with 400 and serve's error, as serve does.
 */
public final class TestingServeMain {
  private TestingServeMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 1; i + 1 < args.length; i += 2) {
      options.put(args[i], args[i + 1]);
    }
    Set<String> models = ConcurrentHashMap.newKeySet();
    if (options.containsKey("--model-dir")) {
      Path modelDir = Path.of(options.get("--model-dir"));
      if (Files.exists(modelDir.resolve("broken"))) {
        System.err.println("error: cannot serve " + modelDir + ": the model file is not a valid ONNX model");
        System.exit(1);
      }
      models.add(options.get("--name"));
    }
    String token = options.containsKey("--repository-token-file")
        ? Files.readString(Path.of(options.get("--repository-token-file"))).strip() : null;
    HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(),
        Integer.parseInt(options.get("--port"))), 16);
    http.createContext("/v2/health/ready", ex -> reply(ex, 200, "{\"ready\":true}"));
    http.createContext("/testing/pid", ex -> reply(ex, 200, Long.toString(ProcessHandle.current().pid())));
    http.createContext("/v2/models/", ex -> {
      String name = ex.getRequestURI().getPath().split("/")[3];
      reply(ex, models.contains(name) ? 200 : 404, models.contains(name) ? "{\"name\":\"" + name + "\",\"ready\":true}"
          : "{\"error\":\"no model '" + name + "'\"}");
    });
    http.createContext("/v2/repository/models/", ex -> {
      String[] path = ex.getRequestURI().getPath().split("/");
      String name = path[4];
      if (token == null || !("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        reply(ex, 401, "{\"error\":\"a valid repository token is required\"}");
        return;
      }
      if (path.length > 5 && path[5].equals("unload")) {
        reply(ex, models.remove(name) ? 200 : 404, "{\"name\":\"" + name + "\",\"action\":\"unload\"}");
        return;
      }
      String uri = Manifests.json().readTree(ex.getRequestBody()).path("parameters").path("storage_uri").asText();
      Path dir = Path.of(URI.create(uri));
      if (!dir.startsWith(Path.of(options.get("--model-root")))) {
        reply(ex, 400, "{\"error\":\"cannot load model '" + name + "': " + dir + " lies outside the model roots\"}");
      } else if (Files.exists(dir.resolve("broken"))) {
        reply(ex, 400, "{\"error\":\"cannot load model '" + name + "': the model file is not a valid ONNX model\"}");
      } else {
        models.add(name);
        reply(ex, 200, "{\"name\":\"" + name + "\",\"action\":\"load\"}");
      }
    });
    http.start();
    System.out.println("capstan-serve ready rest=" + options.get("--port"));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      http.stop(0);
      stopped.countDown();
    }));
    stopped.await();
  }

  private static void reply(HttpExchange ex, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
    ex.close();
  }
}
