package dev.capstan.api.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a TrainingJob asks for. Enumerations are strings on the wire so that a wrong value is
 * reported with its field path by validation rather than as a parse failure.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.framework == oldSelf.framework", message = "framework is immutable")
@ValidationRule(value = "size(self.replicas) > 0", message = "at least one replica group is required")
@ValidationRule(value = "!has(self.elasticPolicy) || self.framework == 'pytorch'", message = "only pytorch jobs can be elastic")
public class TrainingJobSpec {
  /** pytorch | tensorflow | mxnet | jax | xgboost | paddle | generic. */
  @Required
  @Pattern("^(pytorch|tensorflow|mxnet|jax|xgboost|paddle|generic)$")
  private String framework;

  /** Role (master, worker, chief, ps, evaluator, scheduler, server, …) to its replica group. */
  @Required
  private Map<String, ReplicaSpec> replicas = new LinkedHashMap<>();

  /**
   * Processes per replica (PyTorch's PET_NPROC_PER_NODE): a number, or {@code auto}, {@code cpu} or
   * {@code gpu} for torchrun to decide. WORLD_SIZE is replicas × nprocPerNode when it is a number.
   */
  private IntOrString nprocPerNode;

  private RunPolicy runPolicy;

  /** Default (rank-0 replica succeeded) | AllWorkers. */
  @Pattern("^(Default|AllWorkers)$")
  private String successPolicy;

  /** PyTorch elastic rendezvous settings; present only for elastic jobs. */
  private ElasticPolicy elasticPolicy;

  /** The model to register from what the job wrote, when it succeeds. */
  private TrainingOutput output;

  /**
   * The datasets (and models) the job reads, as URIs: an absolute path or {@code file:}, {@code s3://},
   * {@code http(s)://}, {@code models:/NAME/VERSION|@ALIAS}. Recorded in the lineage of the version
   * the job registers; a models: input is its parent version.
   */
  private List<String> inputs;

  /**
   * The Queue that admits the job (also read from the label {@code kueue.x-k8s.io/queue-name});
   * absent: the queue serving the job's namespace, else the implicit one with the whole capacity.
   */
  private String queue;

  /** The job's priority (higher first; may preempt lower ones where its queue allows); wins over priorityClassName. */
  private Integer priority;

  /** A WorkloadPriorityClass whose value is the job's priority. */
  private String priorityClassName;

  public String getFramework() {
    return framework;
  }

  public void setFramework(String framework) {
    this.framework = framework;
  }

  public Map<String, ReplicaSpec> getReplicas() {
    return replicas;
  }

  public void setReplicas(Map<String, ReplicaSpec> replicas) {
    this.replicas = replicas;
  }

  public IntOrString getNprocPerNode() {
    return nprocPerNode;
  }

  public void setNprocPerNode(IntOrString nprocPerNode) {
    this.nprocPerNode = nprocPerNode;
  }

  public RunPolicy getRunPolicy() {
    return runPolicy;
  }

  public void setRunPolicy(RunPolicy runPolicy) {
    this.runPolicy = runPolicy;
  }

  public String getSuccessPolicy() {
    return successPolicy;
  }

  public void setSuccessPolicy(String successPolicy) {
    this.successPolicy = successPolicy;
  }

  public TrainingOutput getOutput() {
    return output;
  }

  public void setOutput(TrainingOutput output) {
    this.output = output;
  }

  public List<String> getInputs() {
    return inputs;
  }

  public void setInputs(List<String> inputs) {
    this.inputs = inputs;
  }

  public ElasticPolicy getElasticPolicy() {
    return elasticPolicy;
  }

  public void setElasticPolicy(ElasticPolicy elasticPolicy) {
    this.elasticPolicy = elasticPolicy;
  }

  public String getQueue() {
    return queue;
  }

  public void setQueue(String queue) {
    this.queue = queue;
  }

  public Integer getPriority() {
    return priority;
  }

  public void setPriority(Integer priority) {
    this.priority = priority;
  }

  public String getPriorityClassName() {
    return priorityClassName;
  }

  public void setPriorityClassName(String priorityClassName) {
    this.priorityClassName = priorityClassName;
  }
}
