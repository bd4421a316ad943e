package dev.capstan.api.codec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.capstan.api.kserve.KServeInferenceServices;
import dev.capstan.api.kubeflow.KubeflowJobs;
import dev.capstan.api.kubeflow.KubeflowKind;
import dev.capstan.api.validation.InvalidSpecException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads and writes manifests as YAML (several documents per file) or JSON. */
public final class Manifests {
  private static final ObjectMapper JSON = configure(new ObjectMapper());
  private static final ObjectMapper YAML = configure(new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)));
  /**
   * Reads user manifests. fabric8's model classes (PodTemplateSpec, Container, ObjectMeta…) keep
   * unknown fields in {@code additionalProperties}, so a typo such as {@code comand} would be
   * dropped silently; without that catch-all it is reported like any other unknown field.
   */
  private static final ObjectMapper STRICT = JSON.copy().registerModule(new SimpleModule()
      .setDeserializerModifier(new BeanDeserializerModifier() {
        @Override
        public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription bean,
            BeanDeserializerBuilder builder) {
          if (bean.getBeanClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
            builder.setAnySetter(null);
          }
          return builder;
        }
      }));

  private Manifests() {}

  private static ObjectMapper configure(ObjectMapper mapper) {
    return mapper.registerModule(new JavaTimeModule())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  }

  public static ObjectMapper json() {
    return JSON;
  }

  public static ObjectMapper yaml() {
    return YAML;
  }

  /** Parses every document of a YAML (or JSON) text; empty documents are skipped. */
  public static List<ObjectNode> parseDocuments(String text, String source) {
    List<ObjectNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
      while (it.hasNextValue()) {
        JsonNode node = it.nextValue();
        if (node == null || node.isNull() || node.isMissingNode()) {
          continue;
        }
        if (!node.isObject()) {
          throw new ManifestException(source + ": document " + (docs.size() + 1) + " is not a mapping");
        }
        docs.add((ObjectNode) node);
      }
    } catch (JsonProcessingException e) {
      throw new ManifestException(source + ": " + syntaxMessage(e));
    } catch (IOException e) {
      throw new ManifestException(source + ": " + e.getMessage());
    }
    return docs;
  }

  /**
   * Converts one parsed document to its typed resource, checking apiVersion and kind. A Kubeflow
   * job ({@code kubeflow.org/v1} PyTorchJob, TFJob, …) becomes the TrainingJob it runs as, checked
   * in full, with errors at the manifest's own field paths ({@link KubeflowJobs#toTrainingJob}); a
   * KServe {@code serving.kserve.io/v1beta1} InferenceService becomes Capstan's
   * ({@link KServeInferenceServices#toInferenceService}), checked the same way.
   */
  public static HasMetadata toResource(ObjectNode doc) {
    String kind = doc.path("kind").asText(null);
    String apiVersion = doc.path("apiVersion").asText(null);
    if (kind == null) {
      throw new InvalidSpecException("kind", "required");
    }
    if (KubeflowKind.byKind(kind).isPresent()) {
      return KubeflowJobs.toTrainingJob(doc);
    }
    if (KServeInferenceServices.isKServe(apiVersion, kind)) {
      return KServeInferenceServices.toInferenceService(doc);
    }
    Kinds.KindInfo info = Kinds.byKind(kind)
        .orElseThrow(() -> new InvalidSpecException("kind", "unknown kind '" + kind + "' (known: "
            + String.join(", ", Kinds.acceptedKinds()) + ")"));
    String expected = dev.capstan.api.training.TrainingJob.API_VERSION;
    if (!expected.equals(apiVersion)) {
      String or = info == Kinds.INFERENCE_SERVICE ? " or " + KServeInferenceServices.API_VERSION : "";
      throw new InvalidSpecException("apiVersion", "must be " + expected + or + " (is '" + apiVersion + "')");
    }
    FiniteNumbers.check(doc);
    return convert(doc, info.type());
  }

  /** Converts a JSON tree to a type, reporting unknown or mistyped fields with their path. */
  public static <T> T convert(JsonNode node, Class<T> type) {
    try {
      return STRICT.treeToValue(node, type);
    } catch (UnrecognizedPropertyException e) {
      throw new InvalidSpecException(path(e, e.getPropertyName()), "unknown field '" + e.getPropertyName() + "'");
    } catch (JsonMappingException e) {
      throw new InvalidSpecException(path(e, null), "wrong type: " + e.getOriginalMessage().split("\n")[0]);
    } catch (JsonProcessingException e) {
      throw new InvalidSpecException("", e.getOriginalMessage());
    }
  }

  public static String toYaml(Object value) {
    try {
      return YAML.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write YAML", e);
    }
  }

  public static String toJson(Object value) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /** A deep copy through JSON: how stored objects are handed out without sharing state. */
  public static <T> T copy(T value, Class<T> type) {
    return JSON.convertValue(value, type);
  }

  static String syntaxMessage(JsonProcessingException e) {
    JsonLocation loc = e.getLocation();
    String what = e.getOriginalMessage().split("\n")[0];
    return loc == null ? what : "line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": " + what;
  }

  private static String path(JsonMappingException e, String leaf) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (ref.getFieldName().equals(leaf) && ref == e.getPath().get(e.getPath().size() - 1)) {
          if (sb.length() > 0) {
            sb.append('.');
          }
          sb.append(leaf);
          continue;
        }
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.toString();
  }
}
