package dev.capstan.local.mlflow;

import static dev.capstan.local.mlflow.MlflowParams.MAX_DESCRIPTION;
import static dev.capstan.local.mlflow.MlflowParams.MAX_FILTER;
import static dev.capstan.local.mlflow.MlflowParams.MAX_NAME;
import static dev.capstan.local.mlflow.MlflowParams.MAX_ORDER_BY;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code registered-models/*}: create, get, search, update, rename, delete, get-latest-versions, tags and aliases. */
final class RegisteredModelEndpoints {
  /** MLflow's own bound on a page of registered models. */
  static final long MAX_RESULTS = 1000;
  static final long DEFAULT_RESULTS = 100;
  private static final Map<String, Comparator<RegisteredModel>> COLUMNS = Map.of(
      "name", Comparator.comparing(RegisteredModel::name),
      "creation_timestamp", Comparator.comparingLong(RegisteredModel::creationTimestamp),
      "last_updated_timestamp", Comparator.comparingLong(RegisteredModel::lastUpdatedTimestamp),
      "timestamp", Comparator.comparingLong(RegisteredModel::lastUpdatedTimestamp));

  private final RegistryOperations registry;

  RegisteredModelEndpoints(RegistryOperations registry) {
    this.registry = registry;
  }

  void addTo(Routes routes) {
    routes.add("POST", "registered-models/create", this::create);
    routes.add("GET", "registered-models/get", p -> wrap(registry.model(name(p))));
    routes.add("GET", "registered-models/search", this::search);
    routes.add("GET", "registered-models/get-latest-versions", this::latestVersions);
    routes.add("POST", "registered-models/get-latest-versions", this::latestVersions);
    routes.add("PATCH", "registered-models/update",
        p -> wrap(registry.describeModel(name(p), p.optionalString("description", MAX_DESCRIPTION))));
    routes.add("POST", "registered-models/rename",
        p -> wrap(registry.renameModel(name(p), p.requiredString("new_name", MAX_NAME))));
    routes.add("DELETE", "registered-models/delete", p -> {
      registry.deleteModel(name(p));
      return MlflowJson.object();
    });
    routes.add("POST", "registered-models/set-tag", p -> {
      registry.tagModel(name(p), p.requiredString("key", MlflowParams.MAX_TAG_KEY), tagValue(p));
      return MlflowJson.object();
    });
    routes.add("DELETE", "registered-models/delete-tag", p -> {
      registry.tagModel(name(p), p.requiredString("key", MlflowParams.MAX_TAG_KEY), null);
      return MlflowJson.object();
    });
    routes.add("POST", "registered-models/alias", p -> {
      registry.setAlias(name(p), alias(p), p.version("version"));
      return MlflowJson.object();
    });
    routes.add("DELETE", "registered-models/alias", p -> {
      registry.deleteAlias(name(p), alias(p));
      return MlflowJson.object();
    });
    routes.add("GET", "registered-models/alias", p -> {
      ObjectNode out = MlflowJson.object();
      out.set("model_version", MlflowJson.version(registry.versionByAlias(name(p), alias(p))));
      return out;
    });
  }

  /**
   * MLflow's {@code get-latest-versions} (what older clients use to resolve
   * {@code models:/NAME/latest}): Capstan has one stage, {@code None}, whose latest version is the
   * newest READY one; asking for other stages finds nothing.
   */
  private ObjectNode latestVersions(MlflowParams p) {
    String name = name(p);
    registry.model(name);
    List<String> stages = p.strings("stages", MAX_ORDER_BY, MAX_NAME);
    boolean none = stages.isEmpty() || stages.stream().anyMatch(MlflowJson.NO_STAGE::equalsIgnoreCase);
    return MlflowJson.versions("model_versions", none ? latestReady().getOrDefault(name, List.of()) : List.of());
  }

  private ObjectNode create(MlflowParams p) {
    String name = name(p);
    return wrap(registry.createModel(name, p.optionalString("description", MAX_DESCRIPTION), p.tags("tags")));
  }

  private ObjectNode search(MlflowParams p) {
    SearchFilter filter = SearchFilter.parse(p.optionalString("filter", MAX_FILTER), Set.of("name"), Set.of());
    long max = p.boundedLong("max_results", DEFAULT_RESULTS, MAX_RESULTS);
    Comparator<RegisteredModel> order = SearchOrder.parse(p.strings("order_by", MAX_ORDER_BY, MAX_NAME), COLUMNS,
        COLUMNS.get("name"));
    List<RegisteredModel> matching = registry.models().stream()
        .filter(m -> filter.matches(attributes(m)))
        .sorted(order)
        .toList();
    PageToken.Page<RegisteredModel> page = PageToken.page(matching, max, p.optionalString("page_token", 256));
    Map<String, List<ModelVersion>> latest = latestReady();
    ObjectNode out = MlflowJson.object();
    if (!page.items().isEmpty()) {
      ArrayNode models = out.putArray("registered_models");
      page.items().forEach(m -> models.add(MlflowJson.model(m, latest.getOrDefault(m.name(), List.of()))));
    }
    if (page.nextPageToken() != null) {
      out.put("next_page_token", page.nextPageToken());
    }
    return out;
  }

  private ObjectNode wrap(RegisteredModel model) {
    ObjectNode out = MlflowJson.object();
    out.set("registered_model", MlflowJson.model(model, latestReady().getOrDefault(model.name(), List.of())));
    return out;
  }

  /** Each model's newest READY version (MLflow's latest version of the one stage Capstan has). */
  private Map<String, List<ModelVersion>> latestReady() {
    return registry.versions().stream()
        .filter(v -> v.status() == ModelVersion.Status.READY)
        .collect(Collectors.groupingBy(ModelVersion::name, Collectors.collectingAndThen(
            Collectors.maxBy(Comparator.comparingLong(ModelVersion::version)), v -> v.map(List::of).orElse(List.of()))));
  }

  private static SearchFilter.Attributes attributes(RegisteredModel m) {
    return new SearchFilter.Attributes() {
      @Override
      public String attribute(String name) {
        return name.equals("name") ? m.name() : null;
      }

      @Override
      public String tag(String key) {
        return m.tags().get(key);
      }
    };
  }

  static String name(MlflowParams p) {
    return p.requiredString("name", MAX_NAME);
  }

  /** A tag's value: required, and may be empty. */
  static String tagValue(MlflowParams p) {
    String value = p.optionalString("value", MlflowParams.MAX_TAG_VALUE);
    if (value == null) {
      throw MlflowError.invalid("Missing value for required parameter 'value'.");
    }
    return value;
  }

  private static String alias(MlflowParams p) {
    return p.requiredString("alias", MAX_NAME);
  }
}
