package dev.capstan.api.training;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

/** One replica group: how many, how they restart, and the pod template each runs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReplicaSpec {
  /** Number of replicas in this group; Kubeflow manifests call it {@code replicas}. */
  @JsonAlias("replicas")
  private Integer count;

  /** Always | OnFailure | Never | ExitCode. */
  private String restartPolicy;

  private PodTemplateSpec template;

  public Integer getCount() {
    return count;
  }

  public void setCount(Integer count) {
    this.count = count;
  }

  public String getRestartPolicy() {
    return restartPolicy;
  }

  public void setRestartPolicy(String restartPolicy) {
    this.restartPolicy = restartPolicy;
  }

  public PodTemplateSpec getTemplate() {
    return template;
  }

  public void setTemplate(PodTemplateSpec template) {
    this.template = template;
  }
}
