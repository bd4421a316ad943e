package dev.capstan.kubernetes.security;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import java.util.Locale;
import java.util.Map;

/**
 * How far the operator goes in filling in a replica pod's security fields, named after the Pod
 * Security Standards levels. Set for the whole operator ({@code CAPSTAN_POD_SECURITY}, the chart's
 * {@code podSecurity}) and per namespace by the label {@value #NAMESPACE_LABEL}, which wins. In
 * every level a field the template sets keeps its value.
 */
public enum PodSecurityLevel {
  /**
   * The fields PSS "restricted" requires, where the template leaves them unset (see
   * {@link RestrictedDefaults}). No fixed user and no read-only root: an image that runs as root
   * is refused by the kubelet under {@code runAsNonRoot}; its namespace picks {@link #BASELINE}.
   */
  RESTRICTED,
  /**
   * Only {@code seccompProfile: RuntimeDefault}: PSS "baseline" requires no field, and this one
   * breaks no common image. Root images, setuid binaries and capabilities work as the image has them.
   */
  BASELINE,
  /** Nothing added: the pod is the template. */
  NONE;

  /** On a namespace: the level for the replica pods created in it. */
  public static final String NAMESPACE_LABEL = "capstan.dev/pod-security";

  /** Fills in {@code spec} in place; {@code annotations} are the pod's (may be null). */
  public void apply(PodSpec spec, Map<String, String> annotations) {
    switch (this) {
      case RESTRICTED -> RestrictedDefaults.apply(spec, annotations);
      case BASELINE -> runtimeDefaultSeccomp(spec, annotations);
      case NONE -> { }
    }
  }

  /** The value as written in labels, settings and the chart: {@code restricted}, {@code baseline}, {@code none}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads a level as written in {@code where} (a setting or a label); throws
   * IllegalArgumentException naming {@code where}, the value and the accepted ones.
   */
  public static PodSecurityLevel parse(String value, String where) {
    for (PodSecurityLevel level : values()) {
      if (level.value().equals(value == null ? "" : value.trim().toLowerCase(Locale.ROOT))) {
        return level;
      }
    }
    throw new IllegalArgumentException(where + ": unknown pod security level '" + value
        + "' (expected restricted, baseline or none)");
  }

  /**
   * The pod-level {@code seccompProfile: RuntimeDefault}, unless the template sets one, names one
   * through the legacy annotation (the API server refuses a field that disagrees with it) or is a
   * Windows pod (where the field is forbidden).
   */
  static void runtimeDefaultSeccomp(PodSpec spec, Map<String, String> annotations) {
    if (isWindows(spec) || annotations != null && annotations.containsKey(RestrictedDefaults.SECCOMP_POD_ANNOTATION)) {
      return;
    }
    if (spec.getSecurityContext() == null) {
      spec.setSecurityContext(new io.fabric8.kubernetes.api.model.PodSecurityContext());
    }
    if (spec.getSecurityContext().getSeccompProfile() == null) {
      spec.getSecurityContext().setSeccompProfile(new SeccompProfile(null, "RuntimeDefault"));
    }
  }

  static boolean isWindows(PodSpec spec) {
    return spec.getOs() != null && "windows".equalsIgnoreCase(spec.getOs().getName());
  }
}
