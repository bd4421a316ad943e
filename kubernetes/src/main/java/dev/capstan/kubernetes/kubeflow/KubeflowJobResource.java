package dev.capstan.kubernetes.kubeflow;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.capstan.api.kubeflow.KubeflowKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A {@code kubeflow.org/v1} job as the API server stores it, kept as an untyped tree: its spec is
 * read only by {@code KubeflowJobs}' conversion, its status written in Kubeflow's shape. One
 * subclass per kind gives the reconciler and the client the kind's group, version and plural.
 */
public abstract class KubeflowJobResource extends GenericKubernetesResource implements Namespaced {
  /** The kind of this resource. */
  @JsonIgnore
  public abstract KubeflowKind kubeflowKind();

  @Group(KubeflowCrds.GROUP)
  @Version(KubeflowCrds.VERSION)
  @Kind("PyTorchJob")
  @Plural("pytorchjobs")
  public static final class PyTorchJob extends KubeflowJobResource {
    @Override
    @JsonIgnore
    public KubeflowKind kubeflowKind() {
      return KubeflowKind.PYTORCH_JOB;
    }
  }

  @Group(KubeflowCrds.GROUP)
  @Version(KubeflowCrds.VERSION)
  @Kind("TFJob")
  @Plural("tfjobs")
  public static final class TFJob extends KubeflowJobResource {
    @Override
    @JsonIgnore
    public KubeflowKind kubeflowKind() {
      return KubeflowKind.TF_JOB;
    }
  }

  @Group(KubeflowCrds.GROUP)
  @Version(KubeflowCrds.VERSION)
  @Kind("XGBoostJob")
  @Plural("xgboostjobs")
  public static final class XGBoostJob extends KubeflowJobResource {
    @Override
    @JsonIgnore
    public KubeflowKind kubeflowKind() {
      return KubeflowKind.XGBOOST_JOB;
    }
  }

  @Group(KubeflowCrds.GROUP)
  @Version(KubeflowCrds.VERSION)
  @Kind("JAXJob")
  @Plural("jaxjobs")
  public static final class JAXJob extends KubeflowJobResource {
    @Override
    @JsonIgnore
    public KubeflowKind kubeflowKind() {
      return KubeflowKind.JAX_JOB;
    }
  }

  @Group(KubeflowCrds.GROUP)
  @Version(KubeflowCrds.VERSION)
  @Kind("PaddleJob")
  @Plural("paddlejobs")
  public static final class PaddleJob extends KubeflowJobResource {
    @Override
    @JsonIgnore
    public KubeflowKind kubeflowKind() {
      return KubeflowKind.PADDLE_JOB;
    }
  }

  @Group(KubeflowCrds.GROUP)
  @Version(KubeflowCrds.VERSION)
  @Kind("MXJob")
  @Plural("mxjobs")
  public static final class MXJob extends KubeflowJobResource {
    @Override
    @JsonIgnore
    public KubeflowKind kubeflowKind() {
      return KubeflowKind.MX_JOB;
    }
  }
}
