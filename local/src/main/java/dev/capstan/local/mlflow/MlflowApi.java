package dev.capstan.local.mlflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.capstan.api.codec.Manifests;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The MLflow Model Registry REST API subset that MLflow's clients use, under
 * {@code /api/2.0/mlflow/}: {@code registered-models/{create,get,search,update,rename,delete}},
 * {@code registered-models/alias} (POST sets, DELETE deletes, GET reads),
 * {@code registered-models/get-latest-versions},
 * {@code model-versions/{create,get,search,update,delete,get-download-uri}} and both kinds'
 * {@code set-tag} and {@code delete-tag}, with MLflow's field
 * names and its error shape {@code {"error_code", "message"}} (see {@code docs/mlflow.md}).
 * GET takes its parameters from the query string; POST, PATCH and DELETE from a JSON body
 * (DELETE from the query string too, when it has no body). Access is the control plane's: the
 * same bearer token as the rest of the local API.
 */
public final class MlflowApi implements HttpHandler {
  public static final String PREFIX = "/api/2.0/mlflow/";
  /** MLflow's requests are small; a body past this is refused before it is parsed. */
  public static final int MAX_BODY = 1 << 20;

  /** Reads a request body with the server's deadline: at most {@code limit + 1} bytes. */
  @FunctionalInterface
  public interface BodyReader {
    byte[] read(HttpExchange ex, int limit) throws IOException;
  }

  private final Routes routes = new Routes();
  private final BodyReader bodies;

  public MlflowApi(RegistryOperations registry, BodyReader bodies) {
    this.bodies = bodies;
    new RegisteredModelEndpoints(registry).addTo(routes);
    new ModelVersionEndpoints(registry).addTo(routes);
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try {
      String path = ex.getRequestURI().getPath();
      // fetch() sends PATCH as the caller spelled it ("patch"); MLflow's server takes any case
      String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
      Endpoint endpoint = routes.find(method, path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : path);
      reply(ex, 200, endpoint.call(params(ex)));
    } catch (MlflowError e) {
      reply(ex, e.httpStatus(), MlflowJson.error(e));
    } catch (RuntimeException e) {
      System.err.println("capstan: MLflow " + ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " failed: " + e);
      e.printStackTrace();
      reply(ex, 500, MlflowJson.error(new MlflowError(MlflowError.Code.INTERNAL_ERROR, "internal error: " + e.getMessage())));
    } finally {
      ex.close();
    }
  }

  private MlflowParams params(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
    if (method.equals("GET")) {
      return MlflowParams.ofQuery(ex.getRequestURI().getRawQuery());
    }
    byte[] body = bodies.read(ex, MAX_BODY);
    if (body.length > MAX_BODY) {
      throw new MlflowError(MlflowError.Code.INVALID_PARAMETER_VALUE, 413, "Request body larger than " + MAX_BODY + " bytes.");
    }
    if (new String(body, StandardCharsets.UTF_8).isBlank()) {
      return MlflowParams.ofQuery(ex.getRequestURI().getRawQuery());
    }
    JsonNode json;
    try {
      json = Manifests.json().readTree(body);
    } catch (JsonProcessingException e) {
      throw MlflowError.invalid("Request body is not valid JSON: " + e.getOriginalMessage());
    }
    if (json == null || !json.isObject()) {
      throw MlflowError.invalid("Request body must be a JSON object.");
    }
    return MlflowParams.of((ObjectNode) json);
  }

  private static void reply(HttpExchange ex, int status, ObjectNode body) throws IOException {
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }
}
