package dev.capstan.api.training;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

/** One replica group: how many, how they restart, and the pod template each runs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// Kubeflow manifests spell the count `replicas`; the schema keeps unknown fields so that the API
// server does not prune that alias before the controller reads it (validation reports typos).
@PreserveUnknownFields
public class ReplicaSpec {
  /** Number of replicas in this group; Kubeflow manifests call it {@code replicas}. */
  @JsonAlias("replicas")
  @Min(0)
  private Integer count;

  /** Always | OnFailure | Never | ExitCode. */
  @Pattern("^(Always|OnFailure|Never|ExitCode)$")
  private String restartPolicy;

  @Required
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
