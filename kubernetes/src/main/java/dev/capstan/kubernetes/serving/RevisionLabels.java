package dev.capstan.kubernetes.serving;

/**
 * Labels on every object of a revision (its Deployment, the Deployment's pods and its Service, and
 * so the EndpointSlices the cluster makes for that Service): which InferenceService and which
 * revision it belongs to. The gateway finds a revision's ready replicas by them.
 */
public final class RevisionLabels {
  public static final String SERVICE = "capstan.dev/inferenceservice";
  public static final String REVISION = "capstan.dev/revision";
  /** Set by the cluster's EndpointSlice controller: the Service a slice belongs to. */
  public static final String SLICE_SERVICE = "kubernetes.io/service-name";

  private RevisionLabels() {}
}
