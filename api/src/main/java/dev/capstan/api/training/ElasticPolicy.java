package dev.capstan.api.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/** PyTorch elastic (torchrun) rendezvous settings, as in Kubeflow's PyTorchJob. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ElasticPolicy {
  private Integer minReplicas;
  private Integer maxReplicas;
  private String rdzvBackend;
  private String rdzvHost;
  private Integer rdzvPort;
  private String rdzvId;
  private List<RdzvConf> rdzvConf = new ArrayList<>();
  private Integer maxRestarts;
  /** torchrun's {@code --standalone} (PET_STANDALONE): a rendezvous of one node on localhost. */
  private Boolean standalone;

  /** One {@code key=value} entry of PET_RDZV_CONF. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class RdzvConf {
    private String key;
    private String value;

    public String getKey() {
      return key;
    }

    public void setKey(String key) {
      this.key = key;
    }

    public String getValue() {
      return value;
    }

    public void setValue(String value) {
      this.value = value;
    }
  }

  public Integer getMinReplicas() {
    return minReplicas;
  }

  public void setMinReplicas(Integer minReplicas) {
    this.minReplicas = minReplicas;
  }

  public Integer getMaxReplicas() {
    return maxReplicas;
  }

  public void setMaxReplicas(Integer maxReplicas) {
    this.maxReplicas = maxReplicas;
  }

  public String getRdzvBackend() {
    return rdzvBackend;
  }

  public void setRdzvBackend(String rdzvBackend) {
    this.rdzvBackend = rdzvBackend;
  }

  public String getRdzvHost() {
    return rdzvHost;
  }

  public void setRdzvHost(String rdzvHost) {
    this.rdzvHost = rdzvHost;
  }

  public Integer getRdzvPort() {
    return rdzvPort;
  }

  public void setRdzvPort(Integer rdzvPort) {
    this.rdzvPort = rdzvPort;
  }

  public String getRdzvId() {
    return rdzvId;
  }

  public void setRdzvId(String rdzvId) {
    this.rdzvId = rdzvId;
  }

  public List<RdzvConf> getRdzvConf() {
    return rdzvConf;
  }

  public void setRdzvConf(List<RdzvConf> rdzvConf) {
    this.rdzvConf = rdzvConf;
  }

  public Integer getMaxRestarts() {
    return maxRestarts;
  }

  public void setMaxRestarts(Integer maxRestarts) {
    this.maxRestarts = maxRestarts;
  }

  public Boolean getStandalone() {
    return standalone;
  }

  public void setStandalone(Boolean standalone) {
    this.standalone = standalone;
  }
}
