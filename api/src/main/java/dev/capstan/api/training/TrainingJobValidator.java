package dev.capstan.api.training;

import dev.capstan.api.registry.ModelUri;
import dev.capstan.api.registry.RegistryNames;
import dev.capstan.api.registry.RelativePath;
import dev.capstan.api.validation.Errors;
import dev.capstan.api.validation.InvalidSpecException;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Walks a TrainingJob, collecting every field error, and builds the model when there are none. */
final class TrainingJobValidator {
  /** The words torchrun takes for {@code --nproc-per-node} besides a number. */
  private static final Set<String> NPROC_WORDS = Set.of("auto", "cpu", "gpu");
  /** Kubernetes object names for pods and services (RFC 1035/1123 labels) stop at 63. */
  static final int MAX_NAME = 63;
  /** The URI schemes {@code spec.inputs} may use besides an absolute path and {@code models:/}. */
  private static final List<String> INPUT_SCHEMES = List.of("file:", "s3://", "gs://", "hdfs://", "http://", "https://");

  private final TrainingJob job;
  private final Errors errors = new Errors();
  /** Role to the key it was written under ({@code Master} for master), so paths match the manifest. */
  private final Map<String, String> keys = new HashMap<>();
  private final ResourceTotals totals = new ResourceTotals();

  TrainingJobValidator(TrainingJob job) {
    this.job = job;
  }

  TrainingJobModel toModel() {
    ObjectMeta meta = job.getMetadata() == null ? new ObjectMeta() : job.getMetadata();
    TrainingJobSpec spec = job.getSpec();
    if (spec == null) {
      errors.add("spec", "required");
      errors.throwIfAny();
    }
    Framework framework = framework(spec.getFramework());
    List<ReplicaGroup> groups = framework == null ? List.of() : groups(framework, spec);
    name(meta, groups);
    Optional<String> nproc = nprocPerNode(spec.getNprocPerNode());
    RunPolicyModel runPolicy = runPolicy(spec.getRunPolicy(), framework);
    SuccessPolicy success = errors.oneOf("spec.successPolicy", spec.getSuccessPolicy(), SuccessPolicy.class, SuccessPolicy.Default);
    Optional<ElasticModel> elastic = elastic(spec.getElasticPolicy(), framework, groups);
    Optional<JobOutput> output = output(spec.getOutput());
    List<String> inputs = inputs(spec.getInputs());
    QueueRequest queueing = queueing(meta, spec);
    errors.throwIfAny();
    List<ReplicaGroup> ordered = groups.stream().sorted(TrainingJobModel.rankOrder(framework)).toList();
    String namespace = meta.getNamespace() == null ? "default" : meta.getNamespace();
    long generation = meta.getGeneration() == null ? 1 : meta.getGeneration();
    return new TrainingJobModel(namespace, meta.getName(), generation, framework, ordered, nproc, runPolicy, success, elastic, output, inputs,
        queueing);
  }

  private Framework framework(String value) {
    if (value == null) {
      errors.add("spec.framework", "required (one of " + Framework.wireNames() + ")");
      return null;
    }
    Optional<Framework> framework = Framework.fromWire(value);
    if (framework.isEmpty()) {
      errors.add("spec.framework", "must be one of " + Framework.wireNames() + " (is '" + value + "')");
    }
    return framework.orElse(null);
  }

  private void name(ObjectMeta meta, List<ReplicaGroup> groups) {
    int suffix = groups.stream().mapToInt(g -> g.role().length() + 2 + String.valueOf(Math.max(0, g.count() - 1)).length()).max().orElse(0);
    errors.dnsLabel("metadata.name", meta.getName(), MAX_NAME - suffix);
    if (meta.getNamespace() != null) {
      errors.dnsLabel("metadata.namespace", meta.getNamespace(), MAX_NAME);
    }
  }

  private List<ReplicaGroup> groups(Framework framework, TrainingJobSpec spec) {
    Map<String, ReplicaSpec> replicas = spec.getReplicas();
    if (replicas == null || replicas.isEmpty()) {
      errors.add("spec.replicas", "at least one replica group is required");
      return List.of();
    }
    if (!errors.atMostEntries("spec.replicas", replicas.size(), TrainingJobLimits.MAX_GROUPS)) {
      return List.of();
    }
    List<ReplicaGroup> groups = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Map.Entry<String, ReplicaSpec> entry : replicas.entrySet()) {
      String path = "spec.replicas." + entry.getKey();
      String role = Framework.normalizeRole(entry.getKey());
      keys.putIfAbsent(role, entry.getKey());
      if (!seen.add(role)) {
        errors.add(path, "role '" + role + "' is given twice");
        continue;
      }
      if (!framework.acceptsRole(role)) {
        errors.add(path, "role '" + entry.getKey() + "' is not valid for " + framework.wire() + " (valid: " + String.join(", ", framework.roles()) + ")");
        continue;
      }
      if (framework == Framework.GENERIC) {
        errors.dnsLabel(path, role, 20);
      }
      ReplicaGroup group = group(framework, role, path, entry.getValue());
      if (group != null) {
        groups.add(group);
      }
    }
    roleCounts(framework, groups);
    long total = groups.stream().mapToLong(ReplicaGroup::count).sum();
    if (!groups.isEmpty() && total == 0) {
      errors.add("spec.replicas", "the job has no replicas (every count is 0)");
    } else if (total > TrainingJobLimits.MAX_REPLICAS_PER_JOB) {
      errors.add("spec.replicas", "the job has " + total + " replicas in all; at most "
          + TrainingJobLimits.MAX_REPLICAS_PER_JOB + " are allowed");
    }
    totals.check(errors);
    return groups;
  }

  private void roleCounts(Framework framework, List<ReplicaGroup> groups) {
    for (ReplicaGroup g : groups) {
      boolean single = g.role().equals("master") || g.role().equals("chief") || g.role().equals("scheduler")
          || g.role().equals("evaluator");
      if (single && g.count() > 1) {
        errors.add("spec.replicas." + keys.get(g.role()) + ".count", "must be 0 or 1 for role " + g.role() + " (is " + g.count() + ")");
      }
    }
    if (framework == Framework.MXNET && groups.stream().noneMatch(g -> g.role().equals("scheduler") && g.count() == 1)) {
      errors.add("spec.replicas.scheduler", "mxnet needs exactly one scheduler replica");
    }
  }

  private ReplicaGroup group(Framework framework, String role, String path, ReplicaSpec spec) {
    if (spec == null) {
      errors.add(path, "required");
      return null;
    }
    errors.between(path + ".count", spec.getCount(), 0, TrainingJobLimits.MAX_REPLICAS_PER_GROUP);
    int count = spec.getCount() == null ? 1 : Math.min(Math.max(0, spec.getCount()), TrainingJobLimits.MAX_REPLICAS_PER_GROUP);
    RestartPolicy restart = errors.oneOf(path + ".restartPolicy", spec.getRestartPolicy(), RestartPolicy.class,
        framework.defaultRestartPolicy());
    PodTemplateSpec template = spec.getTemplate();
    if (template == null || template.getSpec() == null || template.getSpec().getContainers() == null
        || template.getSpec().getContainers().isEmpty()) {
      errors.add(path + ".template.spec.containers", "at least one container is required");
      return null;
    }
    List<Container> containers = template.getSpec().getContainers();
    if (!errors.atMostEntries(path + ".template.spec.containers", containers.size(), TrainingJobLimits.MAX_CONTAINERS)) {
      return null;
    }
    int main = mainContainer(framework, containers, path);
    ContainerValidator validator = new ContainerValidator(errors);
    for (int i = 0; i < containers.size(); i++) {
      Map<String, BigDecimal> perReplica = validator.check(path + ".template.spec.containers[" + i + "]", containers.get(i));
      totals.add(path, count, perReplica);
    }
    return new ReplicaGroup(role, count, restart, template, Math.max(0, main));
  }

  /**
   * {@code spec.nprocPerNode}: a number 1..256 (written as a number or as a string of digits, as
   * Kubeflow's string field allows), or {@code auto}, {@code cpu} or {@code gpu}; absent means auto.
   */
  private Optional<String> nprocPerNode(IntOrString value) {
    String path = "spec.nprocPerNode";
    if (value == null || value.getIntVal() == null && value.getStrVal() == null) {
      return Optional.of(TrainingJobModel.DEFAULT_NPROC_PER_NODE);
    }
    if (value.getIntVal() != null) {
      errors.between(path, value.getIntVal(), 1, TrainingJobLimits.MAX_NPROC_PER_NODE);
      return Optional.of(value.getIntVal().toString());
    }
    String text = value.getStrVal();
    if (NPROC_WORDS.contains(text)) {
      return Optional.of(text);
    }
    if (!text.isEmpty() && text.length() <= 9 && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      errors.between(path, Integer.parseInt(text), 1, TrainingJobLimits.MAX_NPROC_PER_NODE);
      return Optional.of(Integer.toString(Integer.parseInt(text)));
    }
    errors.add(path, "must be a number of processes, or one of auto, cpu, gpu (is '"
        + (text.length() > 64 ? text.substring(0, 64) + "…" : text) + "')");
    return Optional.empty();
  }

  private int mainContainer(Framework framework, List<Container> containers, String path) {
    if (containers.size() == 1) {
      return 0;
    }
    for (int i = 0; i < containers.size(); i++) {
      if (framework.containerName().equals(containers.get(i).getName())) {
        return i;
      }
    }
    errors.add(path + ".template.spec.containers", "with several containers, one must be named '" + framework.containerName() + "'");
    return -1;
  }

  private RunPolicyModel runPolicy(RunPolicy policy, Framework framework) {
    RunPolicy p = policy == null ? new RunPolicy() : policy;
    errors.between("spec.runPolicy.backoffLimit", p.getBackoffLimit(), 0, TrainingJobLimits.MAX_BACKOFF_LIMIT);
    errors.between("spec.runPolicy.activeDeadlineSeconds", p.getActiveDeadlineSeconds(), 1, TrainingJobLimits.MAX_SECONDS);
    errors.between("spec.runPolicy.preemptionGracePeriodSeconds", p.getPreemptionGracePeriodSeconds(), 0,
        RunPolicyModel.MAX_PREEMPTION_GRACE_SECONDS);
    errors.between("spec.runPolicy.ttlSecondsAfterFinished", p.getTtlSecondsAfterFinished(), 0, TrainingJobLimits.MAX_SECONDS);
    CleanPodPolicy clean = errors.oneOf("spec.runPolicy.cleanPodPolicy", p.getCleanPodPolicy(), CleanPodPolicy.class, CleanPodPolicy.Running);
    RestartScope fallback = framework == null ? RestartScope.GANG : framework.defaultRestartScope();
    RestartScope scope = errors.oneOf("spec.runPolicy.restartScope", p.getRestartScope(), RestartScope.class, fallback);
    return new RunPolicyModel(
        p.getBackoffLimit() == null ? RunPolicyModel.DEFAULT_BACKOFF_LIMIT : p.getBackoffLimit(),
        Optional.ofNullable(p.getActiveDeadlineSeconds()).map(Duration::ofSeconds),
        Optional.ofNullable(p.getTtlSecondsAfterFinished()).map(s -> Duration.ofSeconds(s.longValue())),
        clean,
        Boolean.TRUE.equals(p.getSuspend()),
        scope,
        Duration.ofSeconds(p.getPreemptionGracePeriodSeconds() == null ? RunPolicyModel.DEFAULT_PREEMPTION_GRACE_SECONDS
            : p.getPreemptionGracePeriodSeconds()));
  }

  /** {@code spec.queue} (or Kueue's queue label, which must agree with it), priority and priority class. */
  private QueueRequest queueing(ObjectMeta meta, TrainingJobSpec spec) {
    String label = meta.getLabels() == null ? null : meta.getLabels().get(QueueRequest.QUEUE_LABEL);
    String queue = spec.getQueue() != null ? spec.getQueue() : label;
    if (spec.getQueue() != null && label != null && !label.equals(spec.getQueue())) {
      errors.add("spec.queue", "is '" + spec.getQueue() + "' but the label " + QueueRequest.QUEUE_LABEL + " says '" + label + "'");
    }
    if (queue != null) {
      errors.dnsLabel(spec.getQueue() != null ? "spec.queue" : "metadata.labels." + QueueRequest.QUEUE_LABEL, queue, MAX_NAME);
    }
    errors.between("spec.priority", spec.getPriority(), QueueRequest.MIN_PRIORITY, QueueRequest.MAX_PRIORITY);
    if (spec.getPriorityClassName() != null) {
      errors.dnsLabel("spec.priorityClassName", spec.getPriorityClassName(), 253);
    }
    return new QueueRequest(Optional.ofNullable(queue), Optional.ofNullable(spec.getPriority()),
        Optional.ofNullable(spec.getPriorityClassName()));
  }

  private Optional<JobOutput> output(TrainingOutput output) {
    if (output == null) {
      return Optional.empty();
    }
    RegistryNames.checkModelName(errors, "spec.output.model", output.getModel());
    String path = output.getPath();
    if (path != null && RelativePath.problem(path) != null) {
      errors.add("spec.output.path", "a path inside the job's output " + RelativePath.problem(path) + " (is '"
          + (path.length() > 64 ? path.substring(0, 64) + "…" : path) + "')");
    }
    return Optional.of(new JobOutput(output.getModel(), Optional.ofNullable(path)));
  }

  /** {@code spec.inputs}: absolute paths or URIs of the schemes {@link #INPUT_SCHEMES}, models: ones parsed. */
  private List<String> inputs(List<String> inputs) {
    if (inputs == null || !errors.atMostEntries("spec.inputs", inputs.size(), TrainingJobLimits.MAX_INPUTS)) {
      return List.of();
    }
    for (int i = 0; i < inputs.size(); i++) {
      String path = "spec.inputs[" + i + "]";
      String uri = inputs.get(i);
      if (uri == null || uri.isEmpty()) {
        errors.add(path, "required");
      } else if (uri.length() > TrainingJobLimits.MAX_INPUT_URI) {
        errors.add(path, "must be at most " + TrainingJobLimits.MAX_INPUT_URI + " characters (is " + uri.length() + ")");
      } else if (uri.chars().anyMatch(Character::isISOControl)) {
        errors.add(path, "must not hold a NUL or other control character");
      } else if (ModelUri.isModelUri(uri)) {
        try {
          ModelUri.parse(path, uri);
        } catch (InvalidSpecException e) {
          e.errors().forEach(err -> errors.add(err.path(), err.reason()));
        }
      } else if (!uri.startsWith("/") && INPUT_SCHEMES.stream().noneMatch(uri::startsWith)) {
        errors.add(path, "must be an absolute path or a URI starting with one of " + INPUT_SCHEMES + " or models:/ (is '"
            + (uri.length() > 64 ? uri.substring(0, 64) + "…" : uri) + "')");
      }
    }
    return List.copyOf(inputs.stream().filter(java.util.Objects::nonNull).toList());
  }

  private Optional<ElasticModel> elastic(ElasticPolicy policy, Framework framework, List<ReplicaGroup> groups) {
    if (policy == null) {
      return Optional.empty();
    }
    if (framework != Framework.PYTORCH) {
      errors.add("spec.elasticPolicy", "only pytorch jobs can be elastic");
      return Optional.empty();
    }
    // Kubeflow's setElasticPolicy: one bound given stands for both; neither means the worker count.
    int workers = groups.stream().filter(g -> g.role().equals("worker")).mapToInt(ReplicaGroup::count).findFirst()
        .orElse(groups.stream().mapToInt(ReplicaGroup::count).sum());
    Integer givenMin = policy.getMinReplicas();
    Integer givenMax = policy.getMaxReplicas();
    int min = givenMin != null ? givenMin : givenMax != null ? givenMax : workers;
    int max = givenMax != null ? givenMax : givenMin != null ? givenMin : workers;
    errors.between("spec.elasticPolicy.minReplicas", policy.getMinReplicas(), 1, TrainingJobLimits.MAX_REPLICAS_PER_JOB);
    errors.between("spec.elasticPolicy.maxReplicas", policy.getMaxReplicas(), 1, TrainingJobLimits.MAX_REPLICAS_PER_JOB);
    errors.between("spec.elasticPolicy.maxRestarts", policy.getMaxRestarts(), 0, TrainingJobLimits.MAX_BACKOFF_LIMIT);
    if (min > max) {
      errors.add("spec.elasticPolicy.minReplicas", "must not exceed maxReplicas (" + min + " > " + max + ")");
    }
    if (policy.getRdzvPort() != null && (policy.getRdzvPort() < 1 || policy.getRdzvPort() > 65535)) {
      errors.add("spec.elasticPolicy.rdzvPort", "must be between 1 and 65535");
    }
    List<String> conf = new ArrayList<>();
    List<ElasticPolicy.RdzvConf> entries = policy.getRdzvConf() == null ? List.of() : policy.getRdzvConf();
    if (!errors.atMostEntries("spec.elasticPolicy.rdzvConf", entries.size(), TrainingJobLimits.MAX_RDZV_CONF)) {
      entries = List.of();
    }
    for (int i = 0; i < entries.size(); i++) {
      ElasticPolicy.RdzvConf e = entries.get(i);
      if (e.getKey() == null || e.getKey().isBlank()) {
        errors.add("spec.elasticPolicy.rdzvConf[" + i + "].key", "required");
      } else {
        conf.add(e.getKey() + "=" + (e.getValue() == null ? "" : e.getValue()));
      }
    }
    return Optional.of(new ElasticModel(min, max,
        policy.getRdzvBackend() == null ? "c10d" : policy.getRdzvBackend(),
        Optional.ofNullable(policy.getRdzvHost()), Optional.ofNullable(policy.getRdzvPort()),
        Optional.ofNullable(policy.getRdzvId()), conf, Optional.ofNullable(policy.getMaxRestarts()),
        Boolean.TRUE.equals(policy.getStandalone())));
  }
}
