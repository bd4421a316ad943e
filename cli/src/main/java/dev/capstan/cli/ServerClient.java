package dev.capstan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Kinds;
import dev.capstan.api.codec.Manifests;
import dev.capstan.api.training.TrainingJob;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * A client of the local control plane's HTTP API. Every request carries the home's token as
 * {@code Authorization: Bearer …}. Errors come back as one-line UserErrors.
 */
public final class ServerClient implements ControlPlane {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;

  public ServerClient(int port, String token) {
    this.base = "http://127.0.0.1:" + port;
    this.token = token;
  }

  /** Whether a server answers on this port; one that refuses our token is an error, not an absence. */
  public boolean healthy() {
    try {
      HttpResponse<String> r = http.send(authorized(HttpRequest.newBuilder(URI.create(base + "/healthz")))
              .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 401) {
        throw new CliErrors.UserError("the Capstan server at " + base + " refused this home's token: " + errorOf(r.body())
            + " (if the token file was replaced, restart the server: capstan down; capstan up)");
      }
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Creates or updates; returns the stored object and whether it was created. */
  public Applied apply(Kinds.KindInfo kind, String namespace, String name, ObjectNode doc) {
    HttpResponse<String> r = send(HttpRequest.newBuilder(uri(kind, namespace, name, ""))
        .PUT(HttpRequest.BodyPublishers.ofString(doc.toString())).header("Content-Type", "application/json"));
    return new Applied(parse(r), r.statusCode() == 201);
  }

  /** The result of an apply. */
  public record Applied(ObjectNode object, boolean created) {}

  public Optional<ObjectNode> get(Kinds.KindInfo kind, String namespace, String name) {
    HttpResponse<String> r = sendAllowing404(HttpRequest.newBuilder(uri(kind, namespace, name, "")).GET());
    return r.statusCode() == 404 ? Optional.empty() : Optional.of(parse(r));
  }

  public JsonNode list(Kinds.KindInfo kind, String namespace) {
    String path = namespace == null ? "/" + kind.plural() : "/namespaces/" + namespace + "/" + kind.plural();
    return parse(send(HttpRequest.newBuilder(URI.create(base + "/apis/" + TrainingJob.API_VERSION + path)).GET()));
  }

  public boolean delete(Kinds.KindInfo kind, String namespace, String name) {
    return sendAllowing404(HttpRequest.newBuilder(uri(kind, namespace, name, "")).DELETE()).statusCode() != 404;
  }

  public JsonNode events(Kinds.KindInfo kind, String namespace, String name) {
    HttpResponse<String> r = send(HttpRequest.newBuilder(uri(kind, namespace, name, "/events")).GET());
    try {
      return Manifests.json().readTree(r.body());
    } catch (IOException e) {
      throw new CliErrors.UserError("the server sent unreadable events (HTTP " + r.statusCode() + ")");
    }
  }

  /**
   * A TrainingJob's replicas as the local server sees them now: {@code {"items": [{name, phase,
   * attempt, exitCode?, commandProblem?}]}}, the local counterpart of a job's pods.
   */
  public JsonNode replicas(String namespace, String name) {
    return parse(send(HttpRequest.newBuilder(uri(Kinds.TRAINING_JOB, namespace, name, "/replicas")).GET()));
  }

  /** Opens a log stream; the caller copies it and closes it. */
  public InputStream logs(Kinds.KindInfo kind, String namespace, String name, String query) {
    try {
      HttpResponse<InputStream> r = http.send(
          authorized(HttpRequest.newBuilder(URI.create(uri(kind, namespace, name, "/log") + "?" + query))).GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
      if (r.statusCode() != 200) {
        String body = new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
        throw new CliErrors.UserError(errorOf(body));
      }
      return r.body();
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliErrors.UserError("interrupted");
    }
  }

  @Override
  public InputStream logs(Kinds.KindInfo kind, String namespace, String name, LogRequest request) {
    return logs(kind, namespace, name, "follow=" + request.follow() + "&all=" + request.all()
        + (request.replica() == null ? "" : "&" + query("replica", request.replica())));
  }

  /**
   * A registry write ({@code POST models/NAME/versions}, {@code …/aliases}, {@code DELETE …}) at
   * {@code path} under the namespace; any error, 404 included, is a UserError with the server's message.
   */
  public ObjectNode registry(String method, String namespace, String path, ObjectNode body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/apis/" + TrainingJob.API_VERSION + "/namespaces/"
        + URLEncoder.encode(namespace, StandardCharsets.UTF_8) + "/" + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.toString()))
        .header("Content-Type", "application/json");
    return parse(send(request));
  }

  public static String query(String key, String value) {
    return key + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private URI uri(Kinds.KindInfo kind, String namespace, String name, String sub) {
    return URI.create(base + "/apis/" + TrainingJob.API_VERSION + "/namespaces/" + namespace + "/" + kind.plural() + "/"
        + URLEncoder.encode(name, StandardCharsets.UTF_8) + sub);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    HttpResponse<String> r = sendAllowing404(request);
    if (r.statusCode() == 404) {
      throw new CliErrors.UserError(errorOf(r.body()));
    }
    return r;
  }

  private HttpResponse<String> sendAllowing404(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r = http.send(authorized(request).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() >= 400 && r.statusCode() != 404) {
        throw new CliErrors.UserError(errorOf(r.body()));
      }
      return r;
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliErrors.UserError("interrupted");
    }
  }

  private HttpRequest.Builder authorized(HttpRequest.Builder request) {
    return token.isEmpty() ? request : request.header("Authorization", "Bearer " + token);
  }

  private CliErrors.UserError unreachable(IOException e) {
    return new CliErrors.UserError("cannot reach the Capstan server at " + base + ": "
        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
  }

  private static ObjectNode parse(HttpResponse<String> r) {
    try {
      return (ObjectNode) Manifests.json().readTree(r.body());
    } catch (IOException | ClassCastException e) {
      throw new CliErrors.UserError("the server sent an unreadable reply (HTTP " + r.statusCode() + ")");
    }
  }

  private static String errorOf(String body) {
    try {
      JsonNode node = Manifests.json().readTree(body);
      return node.path("error").asText(body);
    } catch (IOException e) {
      return body;
    }
  }
}
