package dev.capstan.api.serving;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * Observed state of an InferenceService, written only by its controller. {@code revisions} is the
 * controller's record of every revision it keeps (what each runs, its replicas and traffic), so
 * each pass is a function of spec, status and what the backend reports.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InferenceServiceStatus {
  /** The lifecycle state (see ServiceState in core); a summary of the conditions. */
  @PrinterColumn(name = "State", priority = 0)
  private String state;

  private String message;

  /** The gateway's base URL for the service: {@code {url}/v2/models/{name}/infer} answers. */
  private String url;

  private Addressable address;
  private Long observedGeneration;
  private List<Condition> conditions = new ArrayList<>();
  private ComponentsStatus components;
  private List<RevisionStatus> revisions = new ArrayList<>();

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public Addressable getAddress() {
    return address;
  }

  public void setAddress(Addressable address) {
    this.address = address;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public ComponentsStatus getComponents() {
    return components;
  }

  public void setComponents(ComponentsStatus components) {
    this.components = components;
  }

  public List<RevisionStatus> getRevisions() {
    return revisions;
  }

  public void setRevisions(List<RevisionStatus> revisions) {
    this.revisions = revisions;
  }

  /** {@code status.address}: where the service is reached ({@code url}, as KServe's Addressable). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Addressable {
    private String url;

    public Addressable() {}

    public Addressable(String url) {
      this.url = url;
    }

    public String getUrl() {
      return url;
    }

    public void setUrl(String url) {
      this.url = url;
    }
  }

  /** {@code status.components}: KServe's per-component status; Capstan has the predictor only. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ComponentsStatus {
    private PredictorStatus predictor;

    public PredictorStatus getPredictor() {
      return predictor;
    }

    public void setPredictor(PredictorStatus predictor) {
      this.predictor = predictor;
    }
  }

  /** {@code status.components.predictor}: which revisions are newest, ready and rolled out, and the traffic split. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class PredictorStatus {
    private String latestCreatedRevision;
    private String latestReadyRevision;
    private String latestRolledoutRevision;
    private List<TrafficTarget> traffic = new ArrayList<>();

    public String getLatestCreatedRevision() {
      return latestCreatedRevision;
    }

    public void setLatestCreatedRevision(String latestCreatedRevision) {
      this.latestCreatedRevision = latestCreatedRevision;
    }

    public String getLatestReadyRevision() {
      return latestReadyRevision;
    }

    public void setLatestReadyRevision(String latestReadyRevision) {
      this.latestReadyRevision = latestReadyRevision;
    }

    public String getLatestRolledoutRevision() {
      return latestRolledoutRevision;
    }

    public void setLatestRolledoutRevision(String latestRolledoutRevision) {
      this.latestRolledoutRevision = latestRolledoutRevision;
    }

    public List<TrafficTarget> getTraffic() {
      return traffic;
    }

    public void setTraffic(List<TrafficTarget> traffic) {
      this.traffic = traffic;
    }
  }

  /** One entry of the traffic split (Knative's TrafficTarget). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class TrafficTarget {
    private String revisionName;
    private Integer percent;
    private Boolean latestRevision;

    public TrafficTarget() {}

    public TrafficTarget(String revisionName, int percent, boolean latestRevision) {
      this.revisionName = revisionName;
      this.percent = percent;
      this.latestRevision = latestRevision;
    }

    public String getRevisionName() {
      return revisionName;
    }

    public void setRevisionName(String revisionName) {
      this.revisionName = revisionName;
    }

    public Integer getPercent() {
      return percent;
    }

    public void setPercent(Integer percent) {
      this.percent = percent;
    }

    public Boolean getLatestRevision() {
      return latestRevision;
    }

    public void setLatestRevision(Boolean latestRevision) {
      this.latestRevision = latestRevision;
    }
  }
}
