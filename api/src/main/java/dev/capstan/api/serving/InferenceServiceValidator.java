package dev.capstan.api.serving;

import static dev.capstan.api.serving.InferenceServiceLimits.MAX_CONTAINER_CONCURRENCY;
import static dev.capstan.api.serving.InferenceServiceLimits.MAX_REPLICAS;

import dev.capstan.api.validation.Errors;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Walks an InferenceService, its {@code autoscaling.knative.dev/*} annotations included, collecting
 * every field error, and builds the model when there are none.
 */
final class InferenceServiceValidator {
  private static final String P = "spec.predictor";
  private static final int DEFAULT_MIN_REPLICAS = 1;
  /** maxReplicas when none is given (at least minReplicas): KServe leaves it unbounded, Capstan does not. */
  static final int DEFAULT_MAX_REPLICAS = 10;

  private final InferenceService service;
  private final Errors errors = new Errors();

  InferenceServiceValidator(InferenceService service) {
    this.service = service;
  }

  InferenceServiceModel toModel() {
    ObjectMeta meta = service.getMetadata() == null ? new ObjectMeta() : service.getMetadata();
    errors.dnsLabel("metadata.name", meta.getName(), InferenceServiceLimits.MAX_NAME);
    if (meta.getNamespace() != null) {
      errors.dnsLabel("metadata.namespace", meta.getNamespace(), 63);
    }
    if (meta.getName() != null && !meta.getName().isEmpty() && !Character.isLetter(meta.getName().charAt(0))) {
      errors.add("metadata.name", "must start with a letter (a DNS-1035 label)");
    }
    AutoscalingAnnotations annotations = new AutoscalingAnnotations(meta.getAnnotations(), errors);
    PredictorSpec predictor = service.getSpec() == null ? null : service.getSpec().getPredictor();
    if (predictor == null) {
      errors.add(service.getSpec() == null ? "spec" : P, "required");
      errors.throwIfAny();
    }
    PredictorTemplate template = template(errors, P, predictor);
    Scaling scaling = scaling(predictor, annotations);
    errors.between(P + ".canaryTrafficPercent", predictor.getCanaryTrafficPercent(), 0, 100);
    errors.throwIfAny();
    OptionalInt canary = predictor.getCanaryTrafficPercent() == null ? OptionalInt.empty()
        : OptionalInt.of(predictor.getCanaryTrafficPercent());
    String namespace = meta.getNamespace() == null ? "default" : meta.getNamespace();
    long generation = meta.getGeneration() == null ? 1 : meta.getGeneration();
    return new InferenceServiceModel(namespace, meta.getName(), generation, template, scaling, canary);
  }

  static PredictorTemplate recordedTemplate(RevisionSpec spec, String path) {
    Errors errors = new Errors();
    PredictorTemplate template = template(errors, path, spec);
    errors.throwIfAny();
    return template;
  }

  /** The revision-defining fields; null when any is invalid (the errors say why). */
  private static PredictorTemplate template(Errors errors, String path, RevisionSpec spec) {
    int before = errors.list().size();
    PredictorModelSpec model = spec.getModel();
    Integer containerConcurrency = spec.getContainerConcurrency();
    Integer timeout = spec.getTimeout();
    ResourceRequirements resources = spec.getResources();
    errors.between(path + ".containerConcurrency", containerConcurrency, 0, MAX_CONTAINER_CONCURRENCY);
    errors.between(path + ".timeout", timeout, 1, InferenceServiceLimits.MAX_TIMEOUT_SECONDS);
    Batching batch = batching(errors, path + ".batching", spec.getBatching());
    ResourceCheck.check(errors, path + ".resources", resources);
    if (model == null) {
      errors.add(path + ".model", "required");
      return null;
    }
    PredictorFormat format = null;
    Optional<String> formatVersion = Optional.empty();
    if (model.getModelFormat() == null || model.getModelFormat().getName() == null) {
      errors.add(path + ".model.modelFormat.name", "required (one of onnx, pytorch, capstan-djl)");
    } else {
      format = errors.oneOf(path + ".model.modelFormat.name", model.getModelFormat().getName(), PredictorFormat.class, null);
      formatVersion = Optional.ofNullable(model.getModelFormat().getVersion());
      errors.atMostChars(path + ".model.modelFormat.version", model.getModelFormat().getVersion(), InferenceServiceLimits.MAX_LABEL_TEXT);
    }
    String runtime = model.getRuntime() == null ? PredictorTemplate.RUNTIME : model.getRuntime();
    if (!runtime.equals(PredictorTemplate.RUNTIME)) {
      errors.add(path + ".model.runtime", "only Capstan's model server ('" + PredictorTemplate.RUNTIME + "') is supported (is '"
          + (runtime.length() > 64 ? runtime.substring(0, 64) + "…" : runtime) + "')");
    }
    Optional<StorageUri> uri = StorageUri.check(errors, path + ".model.storageUri", model.getStorageUri());
    if (errors.list().size() > before) {
      return null;
    }
    return new PredictorTemplate(format, formatVersion, uri.orElseThrow(), runtime, batch, resources,
        containerConcurrency == null ? 0 : containerConcurrency,
        timeout == null ? PredictorTemplate.DEFAULT_TIMEOUT : Duration.ofSeconds(timeout));
  }

  private static Batching batching(Errors errors, String path, BatchingSpec spec) {
    if (spec == null) {
      return Batching.NONE;
    }
    errors.between(path + ".maxBatchSize", spec.getMaxBatchSize(), 1, InferenceServiceLimits.MAX_BATCH_SIZE);
    errors.between(path + ".maxQueue", spec.getMaxQueue(), 1, InferenceServiceLimits.MAX_QUEUE);
    errors.between(path + ".workers", spec.getWorkers(), 1, InferenceServiceLimits.MAX_WORKERS);
    Duration latency = duration(errors, path + ".maxLatency", spec.getMaxLatency(), Duration.ZERO,
        InferenceServiceLimits.MAX_BATCH_LATENCY).orElse(Duration.ZERO);
    return new Batching(spec.getMaxBatchSize() == null ? 1 : spec.getMaxBatchSize(), latency,
        spec.getMaxQueue() == null ? Batching.DEFAULT_MAX_QUEUE : spec.getMaxQueue(),
        spec.getWorkers() == null ? 0 : spec.getWorkers());
  }

  private Scaling scaling(PredictorSpec p, AutoscalingAnnotations a) {
    Optional<Given<Integer>> min = Given.at(P + ".minReplicas", p.getMinReplicas()).or(() -> a.integer("min-scale", "minScale"));
    Optional<Given<Integer>> max = Given.at(P + ".maxReplicas", p.getMaxReplicas()).or(() -> a.integer("max-scale", "maxScale"));
    min.ifPresent(g -> errors.between(g.path(), g.value(), 0, MAX_REPLICAS));
    max.ifPresent(g -> errors.between(g.path(), g.value(), 1, MAX_REPLICAS));
    int minReplicas = min.map(Given::value).orElse(DEFAULT_MIN_REPLICAS);
    int maxReplicas = max.map(Given::value).orElse(Math.max(DEFAULT_MAX_REPLICAS, minReplicas));
    if (min.isPresent() && max.isPresent() && minReplicas > maxReplicas) {
      errors.add(min.get().path(), "must not exceed maxReplicas (" + minReplicas + " > " + maxReplicas + ")");
    }
    Optional<Given<String>> metricText = Given.at(P + ".scaleMetric", p.getScaleMetric()).or(() -> a.text("metric"));
    ScaleMetric metric = metricText.map(g -> errors.oneOf(g.path(), g.value(), ScaleMetric.class, ScaleMetric.CONCURRENCY))
        .orElse(ScaleMetric.CONCURRENCY);
    Optional<Given<Double>> target = Given.at(P + ".scaleTarget", p.getScaleTarget()).or(() -> a.number("target"));
    target.ifPresent(g -> range(g, 0.01, InferenceServiceLimits.MAX_SCALE_TARGET));
    AutoscalingOverrides overrides = overrides(p.getAutoscaling() == null ? new AutoscalingSpec() : p.getAutoscaling(), a);
    if (!errors.isEmpty()) {
      return null;
    }
    return new Scaling(minReplicas, Math.max(maxReplicas, Math.max(1, minReplicas)), metric, target.map(Given::value), overrides);
  }

  private AutoscalingOverrides overrides(AutoscalingSpec s, AutoscalingAnnotations a) {
    String path = P + ".autoscaling";
    Optional<Duration> stable = Given.at(path + ".stableWindow", s.getStableWindow()).or(() -> a.text("window"))
        .flatMap(g -> duration(errors, g.path(), g.value(), InferenceServiceLimits.MIN_STABLE_WINDOW, InferenceServiceLimits.MAX_WINDOW));
    Optional<Duration> grace = Given.at(path + ".scaleToZeroGracePeriod", s.getScaleToZeroGracePeriod())
        .or(() -> a.text("scale-to-zero-grace-period"))
        .flatMap(g -> duration(errors, g.path(), g.value(), Duration.ZERO, InferenceServiceLimits.MAX_WINDOW));
    return new AutoscalingOverrides(stable,
        percent(Given.at(path + ".panicWindowPercentage", s.getPanicWindowPercentage()), a, "panic-window-percentage", 1, 100),
        percent(Given.at(path + ".panicThresholdPercentage", s.getPanicThresholdPercentage()), a, "panic-threshold-percentage", 110, 1000),
        percent(Given.at(path + ".targetUtilizationPercentage", s.getTargetUtilizationPercentage()), a, "target-utilization-percentage", 1, 100),
        rate(Given.at(path + ".maxScaleUpRate", s.getMaxScaleUpRate()), a, "max-scale-up-rate"),
        rate(Given.at(path + ".maxScaleDownRate", s.getMaxScaleDownRate()), a, "max-scale-down-rate"),
        grace);
  }

  private Optional<Double> percent(Optional<Given<Double>> field, AutoscalingAnnotations a, String annotation, double min, double max) {
    Optional<Given<Double>> g = field.or(() -> a.number(annotation));
    g.ifPresent(v -> range(v, min, max));
    return g.map(Given::value);
  }

  /** Knative's scale rates must exceed 1 (a rate of 1 would never change the replica count). */
  private Optional<Double> rate(Optional<Given<Double>> field, AutoscalingAnnotations a, String annotation) {
    Optional<Given<Double>> g = field.or(() -> a.number(annotation));
    g.ifPresent(v -> {
      if (!(v.value() > 1.0)) {
        errors.add(v.path(), "must be more than 1 (is " + v.value() + ")");
      } else {
        range(v, 1, InferenceServiceLimits.MAX_SCALE_RATE);
      }
    });
    return g.map(Given::value);
  }

  private void range(Given<Double> g, double min, double max) {
    double v = g.value();
    if (!Double.isFinite(v) || v < min || v > max) {
      errors.add(g.path(), "must be between " + plain(min) + " and " + plain(max) + " (is " + g.value() + ")");
    }
  }

  private static String plain(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private static Optional<Duration> duration(Errors errors, String path, String text, Duration min, Duration max) {
    if (text == null) {
      return Optional.empty();
    }
    Optional<Duration> d = DurationText.parse(text);
    if (d.isEmpty()) {
      errors.add(path, "must be a duration such as 500ms, 60s or 1m (is '" + (text.length() > 64 ? text.substring(0, 64) + "…" : text) + "')");
    } else if (d.get().compareTo(min) < 0 || d.get().compareTo(max) > 0) {
      errors.add(path, "must be between " + DurationText.format(min) + " and " + DurationText.format(max) + " (is " + text + ")");
      return Optional.empty();
    }
    return d;
  }
}
