package dev.capstan.local.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.capstan.api.codec.Manifests;
import dev.capstan.api.registry.Lineage;
import dev.capstan.api.registry.Model;
import dev.capstan.api.registry.ModelVersion;
import dev.capstan.api.registry.RegistryNames;
import dev.capstan.api.validation.InvalidSpecException;
import dev.capstan.core.registry.ArtifactException;
import dev.capstan.core.registry.RegistryException;
import dev.capstan.local.registry.ModelRegistry;
import dev.capstan.local.registry.Registration;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The registry's writes on the resource API ({@link ResourceApi} serves the reads):
 * <ul>
 *   <li>{@code PUT models/NAME}: create, or set description and tags;
 *   <li>{@code POST models/NAME/versions} {@code {"source": "/abs/dir" or "s3://bucket/prefix", "job": "NS/NAME", …}}: register;
 *   <li>{@code POST models/NAME/aliases} {@code {"alias", "version", "resourceVersion"}}: set an alias (409 when stale);
 *   <li>{@code DELETE models/NAME/aliases/ALIAS?resourceVersion=…}: delete one;
 *   <li>{@code DELETE models/NAME}, {@code PUT|DELETE modelversions/MODEL-VERSION}.
 * </ul>
 * Registry refusals map to HTTP here and only here.
 */
final class RegistryApi {
  private final ModelRegistry registry;

  RegistryApi(ModelRegistry registry) {
    this.registry = registry;
  }

  /** Handles a write on {@code models} or {@code modelversions}; {@code sub} is the path after the name. */
  void handle(HttpExchange ex, String plural, String ns, String name, String sub) throws IOException {
    try {
      if (plural.equals(Model.PLURAL)) {
        model(ex, ns, name, sub);
      } else {
        version(ex, ns, name, sub);
      }
    } catch (RegistryException e) {
      throw new HttpExchanges.ClientError(status(e.reason()), e.getMessage());
    } catch (ArtifactException e) {
      throw new HttpExchanges.ClientError(e.reason() == ArtifactException.Reason.INVALID_PATH ? 422 : 409, e.getMessage());
    }
  }

  private void model(HttpExchange ex, String ns, String name, String sub) throws IOException {
    String method = ex.getRequestMethod();
    RegistryNames.modelName("metadata.name", name);
    if (sub == null) {
      switch (method) {
        case "PUT" -> {
          JsonNode spec = body(ex).path("spec");
          boolean exists = registry.findModel(ns, name).isPresent();
          Model model = exists
              ? registry.updateModel(ns, name, text(spec, "description"), tags(spec, "spec.tags"))
              : registry.createModel(ns, name, text(spec, "description"), tags(spec, "spec.tags"));
          if (spec.has("aliases") && !spec.get("aliases").equals(Manifests.json().valueToTree(model.getSpec().getAliases()))) {
            throw new InvalidSpecException("spec.aliases", "change aliases with 'capstan models alias set' (compare-and-set), not by apply");
          }
          HttpExchanges.json(ex, exists ? 200 : 201, model);
        }
        case "DELETE" -> {
          registry.deleteModel(ns, name);
          HttpExchanges.json(ex, 200, Map.of("deleted", Model.KIND + " " + ns + "/" + name));
        }
        default -> throw notAllowed(method);
      }
      return;
    }
    if (sub.equals("versions") && method.equals("POST")) {
      register(ex, ns, name);
    } else if (sub.equals("aliases") && method.equals("POST")) {
      JsonNode body = body(ex);
      long version = RegistryNames.version("version", body.path("version").asText(null));
      HttpExchanges.json(ex, 200, registry.setAlias(ns, name, text(body, "alias"), version, text(body, "resourceVersion")));
    } else if (sub.startsWith("aliases/") && method.equals("DELETE")) {
      String alias = sub.substring("aliases/".length());
      HttpExchanges.json(ex, 200, registry.deleteAlias(ns, name, alias, HttpExchanges.query(ex).get("resourceVersion")));
    } else {
      throw new HttpExchanges.ClientError(404, "no such path under model " + ns + "/" + name + ": " + sub + " (" + method + ")");
    }
  }

  private void register(HttpExchange ex, String ns, String model) throws IOException {
    JsonNode body = body(ex);
    String source = text(body, "source");
    if (source == null || !source.startsWith("/") && !source.startsWith("s3://")) {
      throw new InvalidSpecException("source", "must be an absolute directory path or an s3://bucket/prefix URI (is '" + source + "')");
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    body.path("metrics").fields().forEachRemaining(e -> metrics.put(e.getKey(), e.getValue().isNumber() ? e.getValue().asDouble() : null));
    Lineage lineage = null;
    String job = text(body, "job");
    if (job != null) {
      String[] parts = job.split("/", -1);
      if (parts.length != 2) {
        throw new InvalidSpecException("job", "must be NAMESPACE/NAME (is '" + job + "')");
      }
      lineage = registry.jobLineage(parts[0], parts[1]);
    }
    Registration request = new Registration(source, text(body, "description"), tags(body, "tags"), metrics, lineage);
    ModelVersion v = registry.register(ns, model, request);
    HttpExchanges.json(ex, 201, v);
  }

  private void version(HttpExchange ex, String ns, String objectName, String sub) throws IOException {
    if (sub != null) {
      throw new HttpExchanges.ClientError(404, "no such subresource: " + sub);
    }
    int dash = objectName.lastIndexOf('-');
    if (dash <= 0) {
      throw new InvalidSpecException("metadata.name", "must be MODEL-VERSION, e.g. iris-3 (is '" + objectName + "')");
    }
    String model = RegistryNames.modelName("metadata.name", objectName.substring(0, dash));
    long version = RegistryNames.version("metadata.name", objectName.substring(dash + 1));
    switch (ex.getRequestMethod()) {
      case "PUT" -> {
        JsonNode spec = body(ex).path("spec");
        HttpExchanges.json(ex, 200, registry.updateVersion(ns, model, version, text(spec, "description"), tags(spec, "spec.tags")));
      }
      case "DELETE" -> {
        registry.deleteVersion(ns, model, version);
        HttpExchanges.json(ex, 200, Map.of("deleted", ModelVersion.KIND + " " + ns + "/" + objectName));
      }
      default -> throw notAllowed(ex.getRequestMethod());
    }
  }

  private static int status(RegistryException.Reason reason) {
    return switch (reason) {
      case NOT_FOUND -> 404;
      case INVALID -> 422;
      case ALREADY_EXISTS, STALE, IN_USE, WRONG_STATE -> 409;
    };
  }

  private static JsonNode body(HttpExchange ex) throws IOException {
    JsonNode body;
    try {
      body = Manifests.json().readTree(HttpExchanges.body(ex));
    } catch (JsonProcessingException e) {
      throw new HttpExchanges.ClientError(400, "body is not valid JSON: " + e.getOriginalMessage());
    }
    if (body == null || !body.isObject()) {
      throw new HttpExchanges.ClientError(400, "body must be a JSON object");
    }
    return body;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new InvalidSpecException(field, "must be a string");
    }
    return v.asText();
  }

  private static Map<String, String> tags(JsonNode node, String path) {
    JsonNode tags = node.path(path.substring(path.lastIndexOf('.') + 1));
    if (tags.isMissingNode() || tags.isNull()) {
      return null;
    }
    if (!tags.isObject()) {
      throw new InvalidSpecException(path, "must be a mapping of strings");
    }
    Map<String, String> out = new LinkedHashMap<>();
    ((ObjectNode) tags).fields().forEachRemaining(e -> {
      if (!e.getValue().isTextual()) {
        throw new InvalidSpecException(path + "." + e.getKey(), "must be a string");
      }
      out.put(e.getKey(), e.getValue().asText());
    });
    return out;
  }

  private static HttpExchanges.ClientError notAllowed(String method) {
    return new HttpExchanges.ClientError(405, "method " + method + " not allowed");
  }
}
