package dev.capstan.local.mlflow;

import static dev.capstan.local.mlflow.MlflowParams.MAX_DESCRIPTION;
import static dev.capstan.local.mlflow.MlflowParams.MAX_FILTER;
import static dev.capstan.local.mlflow.MlflowParams.MAX_NAME;
import static dev.capstan.local.mlflow.MlflowParams.MAX_ORDER_BY;
import static dev.capstan.local.mlflow.MlflowParams.MAX_SOURCE;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code model-versions/*}: create, get, search, update, delete, tags and get-download-uri. */
final class ModelVersionEndpoints {
  /** MLflow's documented threshold for a page of model versions. */
  static final long MAX_RESULTS = 200_000;
  static final long DEFAULT_RESULTS = 10_000;
  private static final Map<String, Comparator<ModelVersion>> COLUMNS = Map.of(
      "name", Comparator.comparing(ModelVersion::name),
      "version_number", Comparator.comparingLong(ModelVersion::version),
      "creation_timestamp", Comparator.comparingLong(ModelVersion::creationTimestamp),
      "last_updated_timestamp", Comparator.comparingLong(ModelVersion::lastUpdatedTimestamp),
      "timestamp", Comparator.comparingLong(ModelVersion::lastUpdatedTimestamp));
  /** MLflow's tiebreak: name ascending, then the newest version first. */
  private static final Comparator<ModelVersion> TIEBREAK = Comparator.comparing(ModelVersion::name)
      .thenComparing(Comparator.comparingLong(ModelVersion::version).reversed());

  private final RegistryOperations registry;

  ModelVersionEndpoints(RegistryOperations registry) {
    this.registry = registry;
  }

  void addTo(Routes routes) {
    routes.add("POST", "model-versions/create", p -> {
      String name = RegisteredModelEndpoints.name(p);
      String source = p.requiredString("source", MAX_SOURCE);
      return wrap(registry.createVersion(name, source, p.optionalString("run_id", MAX_NAME),
          p.optionalString("description", MAX_DESCRIPTION), p.tags("tags")));
    });
    routes.add("GET", "model-versions/get", p -> wrap(registry.version(RegisteredModelEndpoints.name(p), p.version("version"))));
    routes.add("GET", "model-versions/search", this::search);
    routes.add("PATCH", "model-versions/update", p -> wrap(registry.describeVersion(RegisteredModelEndpoints.name(p),
        p.version("version"), p.optionalString("description", MAX_DESCRIPTION))));
    routes.add("DELETE", "model-versions/delete", p -> {
      registry.deleteVersion(RegisteredModelEndpoints.name(p), p.version("version"));
      return MlflowJson.object();
    });
    routes.add("POST", "model-versions/set-tag", p -> {
      registry.tagVersion(RegisteredModelEndpoints.name(p), p.version("version"),
          p.requiredString("key", MlflowParams.MAX_TAG_KEY), RegisteredModelEndpoints.tagValue(p));
      return MlflowJson.object();
    });
    routes.add("DELETE", "model-versions/delete-tag", p -> {
      registry.tagVersion(RegisteredModelEndpoints.name(p), p.version("version"), p.requiredString("key", MlflowParams.MAX_TAG_KEY), null);
      return MlflowJson.object();
    });
    routes.add("GET", "model-versions/get-download-uri", p -> MlflowJson.object()
        .put("artifact_uri", registry.downloadUri(RegisteredModelEndpoints.name(p), p.version("version"))));
  }

  private ObjectNode search(MlflowParams p) {
    SearchFilter filter = SearchFilter.parse(p.optionalString("filter", MAX_FILTER),
        Set.of("name", "run_id", "source_path", "status"), Set.of("version_number"));
    long max = p.boundedLong("max_results", DEFAULT_RESULTS, MAX_RESULTS);
    Comparator<ModelVersion> order = SearchOrder.parse(p.strings("order_by", MAX_ORDER_BY, MAX_NAME), COLUMNS, TIEBREAK);
    List<ModelVersion> matching = registry.versions().stream()
        .filter(v -> filter.matches(attributes(v)))
        .sorted(order)
        .toList();
    PageToken.Page<ModelVersion> page = PageToken.page(matching, max, p.optionalString("page_token", 256));
    ObjectNode out = MlflowJson.versions("model_versions", page.items());
    if (page.nextPageToken() != null) {
      out.put("next_page_token", page.nextPageToken());
    }
    return out;
  }

  private static ObjectNode wrap(ModelVersion version) {
    ObjectNode out = MlflowJson.object();
    out.set("model_version", MlflowJson.version(version));
    return out;
  }

  private static SearchFilter.Attributes attributes(ModelVersion v) {
    return new SearchFilter.Attributes() {
      @Override
      public String attribute(String name) {
        return switch (name) {
          case "name" -> v.name();
          case "run_id" -> v.runId();
          case "source_path" -> v.source();
          case "status" -> v.status().name();
          case "version_number" -> Long.toString(v.version());
          default -> null;
        };
      }

      @Override
      public String tag(String key) {
        return v.tags().get(key);
      }
    };
  }
}
