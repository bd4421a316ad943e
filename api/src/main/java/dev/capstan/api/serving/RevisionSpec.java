package dev.capstan.api.serving;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/**
 * The fields of a predictor that define a revision: the model and how its replicas run. A
 * {@link PredictorSpec} holds them (with how the replicas scale), and {@code status.revisions[].predictor}
 * records them as they were when the revision was made.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RevisionSpec {
  @Required
  private PredictorModelSpec model;

  private BatchingSpec batching;

  /** Requests and limits of each replica (cpu, memory, nvidia.com/gpu). */
  private ResourceRequirements resources;

  /** Most requests one replica takes at once; 0 (default) is no limit. */
  @Min(0)
  private Integer containerConcurrency;

  /** Seconds a request may take before it fails; default 60. */
  @Min(1)
  private Integer timeout;

  public PredictorModelSpec getModel() {
    return model;
  }

  public void setModel(PredictorModelSpec model) {
    this.model = model;
  }

  public BatchingSpec getBatching() {
    return batching;
  }

  public void setBatching(BatchingSpec batching) {
    this.batching = batching;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public Integer getContainerConcurrency() {
    return containerConcurrency;
  }

  public void setContainerConcurrency(Integer containerConcurrency) {
    this.containerConcurrency = containerConcurrency;
  }

  public Integer getTimeout() {
    return timeout;
  }

  public void setTimeout(Integer timeout) {
    this.timeout = timeout;
  }
}
