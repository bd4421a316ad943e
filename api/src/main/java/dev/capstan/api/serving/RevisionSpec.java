package dev.capstan.api.serving;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/**
 * The part of a predictor that defines a revision, as recorded in {@code status.revisions[].predictor}:
 * the same fields, with the same meaning, as in {@link PredictorSpec}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RevisionSpec {
  private PredictorModelSpec model;
  private BatchingSpec batching;
  private ResourceRequirements resources;
  private Integer containerConcurrency;
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
